using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Datasets;

namespace MlNetInverse.Models.Surrogate;

/// <summary>
/// Trains and judges the absorption surrogate on a dataset file (e.g. data/microstructures.parquet): the check that the
/// surrogate reaches the held-out R^2 the generation screen needs on RCWA labels.
/// </summary>
public static class SurrogateDatasetTraining
{
    /// <summary>
    /// The held-out R^2 the surrogate should reach on RCWA labels: 0.85. On the band-edge default the three GRF
    /// parameters explain 66 % of the label and the rest is the particular pattern, so the surrogate must read the
    /// image (with spectral shells it reached 0.885 in the main job); on the earlier, volume-fraction-driven data the
    /// bar was 0.95, which any surrogate that counts absorber pixels met.
    /// </summary>
    public const double RequiredHeldOutRSquared = 0.85;

    /// <summary>Reads <paramref name="datasetPath"/>, trains a surrogate (defaults when options are null) and returns the result.</summary>
    /// <exception cref="FileNotFoundException">The dataset file does not exist.</exception>
    public static async Task<SurrogateTrainingResult> TrainAsync(
        string datasetPath,
        AbsorptionSurrogateOptions? modelOptions = null,
        SurrogateTrainingOptions? trainingOptions = null,
        IProgress<SurrogateEpochMetrics>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var dataset = await MicrostructureDatasetFile.ReadAsync(datasetPath, cancellationToken);
        var (images, absorption) = MicrostructureArrays.From(dataset.Records);
        var model = (modelOptions ?? new AbsorptionSurrogateOptions()) with { ImageSize = dataset.Records[0].Map.Size };
        var trainer = new SurrogateTrainer(model, trainingOptions ?? new SurrogateTrainingOptions());
        return trainer.Train(images, absorption, progress, cancellationToken);
    }

    /// <summary>A few lines that state the result, held-out first and labelled as such.</summary>
    public static string Describe(SurrogateTrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var heldOut = result.HeldOut;
        var training = result.Training;
        return string.Join(Environment.NewLine,
            string.Format(inv, "held-out (test, {0} images): MAE {1:F4}, RMSE {2:F4}, R^2 {3:F4} (bar {4:F2}: {5})",
                heldOut.Count, heldOut.MeanAbsoluteError, heldOut.RootMeanSquaredError, heldOut.RSquared, RequiredHeldOutRSquared,
                heldOut.RSquared >= RequiredHeldOutRSquared ? "met" : "NOT met"),
            string.Format(inv, "training ({0} images, not a test result): MAE {1:F4}, RMSE {2:F4}, R^2 {3:F4}",
                training.Count, training.MeanAbsoluteError, training.RootMeanSquaredError, training.RSquared),
            string.Format(inv, "{0} epochs on {1}, {2:F1} s", result.History.Count, result.Device, result.History.Sum(h => h.Seconds)));
    }
}
