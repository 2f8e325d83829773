using MlNetInverse.ML.Data;
using MlNetInverse.Models.Surrogate;

namespace MlNetInverse.ML.Surrogate;

/// <summary>
/// Settings of <see cref="AbsorptionSurrogateEstimator"/>: columns, the surrogate CNN (<see cref="Network"/>) and its
/// training (<see cref="Training"/>: mean squared error on standardized labels, Adam with a cosine learning rate; see
/// <see cref="SurrogateTrainer"/>).
/// </summary>
public sealed class AbsorptionSurrogateEstimatorOptions
{
    /// <summary>Predicted absorption column to write (Single). Default "PredictedAbsorption".</summary>
    public string OutputColumnName { get; set; } = MicrostructureColumns.PredictedAbsorption;

    /// <summary>Image column to read (Vector&lt;Single, S*S&gt;, pixels in [0, 1], S a power of two &gt;= 8). Default "Image".</summary>
    public string ImageColumnName { get; set; } = MicrostructureColumns.Image;

    /// <summary>Absorption label column to learn (Single). Default "Absorption".</summary>
    public string LabelColumnName { get; set; } = MicrostructureColumns.Absorption;

    /// <summary>
    /// The CNN (channels, hidden units, spectral shells), declared once in <see cref="AbsorptionSurrogateOptions"/> with
    /// its defaults. Its ImageSize is not read: Fit takes the image size from the image column.
    /// </summary>
    public AbsorptionSurrogateOptions Network { get; set; } = new();

    /// <summary>
    /// The training run (epochs, batch, learning rate and its decay, held-out share, augmentation, seed, device,
    /// threads, checkpoint), declared once in <see cref="SurrogateTrainingOptions"/> with its defaults. The device is
    /// also where the fitted transformer runs.
    /// </summary>
    public SurrogateTrainingOptions Training { get; set; } = new();

    /// <summary>Receives each finished epoch's metrics (not saved with the model). Default null.</summary>
    public IProgress<SurrogateEpochMetrics>? Progress { get; set; }

    /// <summary>Cancels training between steps (not saved with the model). Default none.</summary>
    public CancellationToken CancellationToken { get; set; }
}
