namespace MlNetInverse.Baselines.Shared;

/// <summary>How a generated grey-level image becomes a binary map that can be fabricated.</summary>
public enum BinarizationRule
{
    /// <summary>A pixel above 0.5 becomes material A.</summary>
    Threshold,

    /// <summary>
    /// The image's own mean pixel value (clamped to [0, 1]) is its predicted volume fraction; exactly
    /// round(fraction * pixels) of its highest pixels become material A (ties to the lowest index). Keeps the volume
    /// fraction, the strongest single predictor of absorption, where a fixed threshold would shift it for blurry
    /// (PCA, decoder) outputs whose grey levels are not symmetric around 0.5.
    /// </summary>
    PredictedVolumeFraction,
}
