using Microsoft.ML;

namespace MlNetInverse.ML;

/// <summary>Entry point of this library in ML.NET: <c>mlContext.Inverse()</c>.</summary>
public static class MLContextInverseExtensions
{
    /// <summary>
    /// The inverse-design catalog of <paramref name="mlContext"/>: microstructure loading (Parquet dataset, PNG
    /// folders), Parquet load/save of any data view, image reading, model-zip save/load, and the TorchSharp-backed
    /// estimators (VQ-VAE, VQ-VAE decoder, absorption surrogate) whose weights are saved inside the model zip.
    /// </summary>
    public static InverseCatalog Inverse(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new InverseCatalog(mlContext);
    }
}
