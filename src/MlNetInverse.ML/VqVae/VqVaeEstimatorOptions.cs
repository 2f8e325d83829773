using MlNetInverse.ML.Data;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.Models.VqVae;

namespace MlNetInverse.ML.VqVae;

/// <summary>
/// Settings of <see cref="VqVaeEstimator"/>: columns, the network (<see cref="Network"/>) and its training
/// (<see cref="Training"/>) with the paper's loss Alpha*R + Beta*A + Theta*V + C (see <see cref="VqVaeTrainer"/>). The absorption term A needs a surrogate: either a
/// fitted <see cref="Surrogate"/> or one trained inside Fit (<see cref="SurrogateTraining"/>); with neither, or with
/// Beta = 0, A is left out.
/// </summary>
public sealed class VqVaeEstimatorOptions
{
    /// <summary>Quantized latent column to write (Vector&lt;Single, D*G*G&gt;, element d*G*G + gx*G + gy). Default "Latent".</summary>
    public string LatentColumnName { get; set; } = MicrostructureColumns.Latent;

    /// <summary>Code index column to write (Vector&lt;Int32, G*G&gt;, element gx*G + gy). Default "CodeIndices".</summary>
    public string CodeIndicesColumnName { get; set; } = MicrostructureColumns.CodeIndices;

    /// <summary>Reconstruction column to write (Vector&lt;Single, S*S&gt;, sigmoid output). Default null: none.</summary>
    public string? ReconstructionColumnName { get; set; }

    /// <summary>Image column to read (Vector&lt;Single, S*S&gt;, pixels in [0, 1], S a power of two &gt;= 8). Default "Image".</summary>
    public string ImageColumnName { get; set; } = MicrostructureColumns.Image;

    /// <summary>
    /// Absorption label column (Single), read only when a surrogate is trained in Fit or
    /// <see cref="VqVaeTrainingOptions.AbsorptionReference"/> is Label. Default "Absorption".
    /// </summary>
    public string AbsorptionColumnName { get; set; } = MicrostructureColumns.Absorption;

    /// <summary>
    /// The network (codebook size K, code length D, latent grid G, channels, architecture, quantizer), declared once in
    /// <see cref="VqVaeOptions"/> with its defaults. Its ImageSize is not read: Fit takes the image size from the
    /// image column.
    /// </summary>
    public VqVaeOptions Network { get; set; } = new();

    /// <summary>
    /// The training run (epochs, batch, learning rate, the loss weights Alpha, Beta, Theta, seed, device, threads,
    /// checkpoint), declared once in <see cref="VqVaeTrainingOptions"/> with its defaults. Beta applies only with a
    /// surrogate (given or trained in Fit); the device is also where the fitted transformer runs.
    /// </summary>
    public VqVaeTrainingOptions Training { get; set; } = new();

    /// <summary>A fitted surrogate for the absorption loss (copied, frozen; not saved with the VQ-VAE). Default null.</summary>
    public AbsorptionSurrogateTransformer? Surrogate { get; set; }

    /// <summary>
    /// Train a surrogate inside Fit on the same rows (image and absorption columns) with these settings, then use it
    /// frozen for the absorption loss. Default null: no surrogate is trained. Not together with <see cref="Surrogate"/>.
    /// Its column names are ignored.
    /// </summary>
    public AbsorptionSurrogateEstimatorOptions? SurrogateTraining { get; set; }

    /// <summary>Receives each finished epoch's training metrics (not saved with the model). Default null.</summary>
    public IProgress<EpochMetrics>? Progress { get; set; }

    /// <summary>Cancels training between steps (not saved with the model). Default none.</summary>
    public CancellationToken CancellationToken { get; set; }
}
