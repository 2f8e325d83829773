using static TorchSharp.torch;

namespace MlNetInverse.Models.Quantization;

/// <summary>What a <see cref="VectorQuantizer"/> returns for a batch of encoder outputs z_e [B, D, G, G].</summary>
/// <param name="Quantized">
/// The nearest codes [B, D, G, G] with the straight-through gradient: forward value e, gradient passed to z_e unchanged.
/// </param>
/// <param name="Indices">Code index per grid cell [B, G, G], int64.</param>
/// <param name="CodebookLoss">
/// Scalar mean ||sg[z_e] - e||^2. With <see cref="QuantizerUpdate.CodebookLoss"/> it trains the codebook; with
/// <see cref="QuantizerUpdate.Ema"/> it is detached (for monitoring only, no gradient).
/// </param>
/// <param name="CommitmentLoss">Scalar beta_c * mean ||z_e - sg[e]||^2; trains the encoder.</param>
/// <param name="Perplexity">Scalar exp(entropy of the code usage in the batch): 1 = one code, K = all codes equally.</param>
public sealed record QuantizerOutput(Tensor Quantized, Tensor Indices, Tensor CodebookLoss, Tensor CommitmentLoss, Tensor Perplexity);
