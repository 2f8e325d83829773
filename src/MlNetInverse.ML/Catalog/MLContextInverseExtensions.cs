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

    /// <summary>
    /// Cancels every running and future operation of <paramref name="mlContext"/>: a Fit of this library's estimators
    /// stops between batches with <see cref="OperationCanceledException"/>. ML.NET 5 keeps MLContext's own
    /// CancelExecution internal (the Microsoft.ML.Experimental package exposes the same call); this calls it. The
    /// context stays cancelled: use a new one afterwards.
    /// </summary>
    public static void CancelExecution(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        // Binds to MLContext's internal instance method (this project compiles against publicized ML.NET), not to itself.
        mlContext.CancelExecution();
    }
}
