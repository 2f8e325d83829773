using MlNetInverse.Models.Quantization;
using static TorchSharp.torch;

namespace MlNetInverse.Models.VqVae;

/// <summary>What a <see cref="VqVaeModel"/> forward pass returns.</summary>
/// <param name="Reconstruction">Decoded images [B, 1, S, S] in (0, 1) (sigmoid output).</param>
/// <param name="Quantizer">The quantizer's output for the batch's latent grid.</param>
public sealed record VqVaeOutput(Tensor Reconstruction, QuantizerOutput Quantizer);
