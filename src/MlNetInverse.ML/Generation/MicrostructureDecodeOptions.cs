using MlNetInverse.ML.Surrogate;
using MlNetInverse.Models.Devices;

namespace MlNetInverse.ML.Generation;

/// <summary>Settings of <see cref="InverseCatalog.DecodeMicrostructures(VqVae.VqVaeEstimator, MicrostructureDecodeOptions)"/>.</summary>
public sealed class MicrostructureDecodeOptions
{
    /// <summary>Column of the N binarized images per row to write (Vector&lt;Single, N, S, S&gt;). Default "GeneratedImages".</summary>
    public string OutputColumnName { get; set; } = GenerationColumns.GeneratedImages;

    /// <summary>Column of N latents per row to read (Vector&lt;Single, N*L&gt;, the MDN's output). Default "GeneratedLatents".</summary>
    public string InputColumnName { get; set; } = GenerationColumns.GeneratedLatents;

    /// <summary>Column of the surrogate's absorption per generated image to write (Vector&lt;Single, N&gt;). Default "PredictedAbsorption".</summary>
    public string PredictedAbsorptionColumnName { get; set; } = GenerationColumns.PredictedAbsorption;

    /// <summary>
    /// The surrogate that predicts each generated image's absorption. Default null: the surrogate the VQ-VAE was fitted
    /// with (given to it, or trained in its Fit).
    /// </summary>
    public AbsorptionSurrogateTransformer? Surrogate { get; set; }

    /// <summary>Where decoding and the surrogate run. Default <see cref="ComputeDevice.Cpu"/>.</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Cpu;
}
