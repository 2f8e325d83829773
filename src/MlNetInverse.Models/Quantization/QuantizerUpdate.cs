namespace MlNetInverse.Models.Quantization;

/// <summary>How the codebook of a <see cref="VectorQuantizer"/> learns.</summary>
public enum QuantizerUpdate
{
    /// <summary>
    /// Exponential moving averages of code counts and assigned encoder outputs (Laplace-smoothed counts), applied in
    /// training mode; the codebook is a buffer and gets no gradient, so the loss needs no codebook term.
    /// </summary>
    Ema,

    /// <summary>The codebook is a parameter trained by the codebook loss ||sg[z_e] - e||^2 (weighted by theta).</summary>
    CodebookLoss,
}
