using MlNetInverse.ML.Data;

namespace MlNetInverse.ML.Generation;

/// <summary>Settings of <see cref="InverseCatalog.SelectClosestSamples(SampleSelectionOptions)"/>.</summary>
public sealed class SampleSelectionOptions
{
    /// <summary>Samples kept per row (samples), at most the number decoded. Required; default 30, the paper's count.</summary>
    public int Keep { get; set; } = 30;

    /// <summary>
    /// Strata of volume fraction (material A's share of each image) to keep from: the samples in order of volume fraction
    /// are cut into this many equal runs and each run gives its share of <see cref="Keep"/> (in proportion to its size), closest first, so the
    /// screen cannot move the samples' spread of volume fractions (<see cref="MlNetInverse.Models.Surrogate.SurrogateScreen.ClosestWithinVolumeStrata"/>).
    /// Default 1: one ranking over all samples.
    /// </summary>
    public int VolumeFractionStrata { get; set; } = 1;

    /// <summary>
    /// Draw the kept samples by weight instead of keeping the closest: weights exp(-|predicted - target| / tau), tau the
    /// distance at this quantile of the row's samples (<see cref="MlNetInverse.Models.Surrogate.SurrogateScreen.Weighted"/>).
    /// In [0, 1); not together with <see cref="VolumeFractionStrata"/> above 1. Default 0: keep the closest.
    /// </summary>
    public double Softness { get; set; }

    /// <summary>Seed of the weighted draw's keys (with the target's bits); unused at softness 0. Default 0.</summary>
    public long Seed { get; set; }

    /// <summary>Target absorption column (Single). Default "Absorption".</summary>
    public string TargetColumnName { get; set; } = MicrostructureColumns.Absorption;

    /// <summary>Images column (Vector&lt;Single, M*S*S&gt;) read and replaced by the kept images (Vector&lt;Single, Keep*S*S&gt;). Default "GeneratedImages".</summary>
    public string ImagesColumnName { get; set; } = GenerationColumns.GeneratedImages;

    /// <summary>Predicted absorption column (Vector&lt;Single, M&gt;) read and replaced by the kept predictions. Default "PredictedAbsorption".</summary>
    public string PredictedAbsorptionColumnName { get; set; } = GenerationColumns.PredictedAbsorption;

    /// <summary>
    /// Latents column (Vector&lt;Single, M*L&gt;) read and replaced by the kept samples' latents (Vector&lt;Single, Keep, L&gt;),
    /// so latents stay aligned with the kept images. Default null: the latents column is left as it is.
    /// </summary>
    public string? LatentsColumnName { get; set; }
}
