using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetInverse.Models.VqVae;

/// <summary>
/// The periodic decoder (1x1 projection, ReLU, [<see cref="PeriodicConvTranspose2d"/>, activation]...) run without
/// gradients, the way batch scoring needs it: every upsampling by its phases, and <see cref="PhaseInterleave"/> writing
/// them straight into the next layer's periodically padded input with the ReLU on the way (the final sigmoid in place
/// on the phases), so no activation, interleave or pad passes over memory on its own. The projection stays the module's own kernel (a matrix
/// product in its place differed in the last bit at some code dimensions). From latents every value equals the
/// layer-by-layer decoder's (<see cref="VqVaeModel.DecodeByLayers"/>, tested); from code indices on the CPU the first
/// upsampling layer is a <see cref="CodePhaseTable"/> lookup, equal to float rounding. Training never comes here.
/// </summary>
internal sealed class PeriodicDecoding
{
    private readonly ConvTranspose2d _projection;
    // Each upsampling layer and whether its activation is a ReLU (else the final sigmoid).
    private readonly (PeriodicConvTranspose2d Layer, bool Rectified)[] _upsampling;

    private PeriodicDecoding(ConvTranspose2d projection, (PeriodicConvTranspose2d, bool)[] upsampling)
    {
        _projection = projection;
        _upsampling = upsampling;
    }

    /// <summary>The chain for <paramref name="decoder"/> when its layers are the periodic decoder's, else null.</summary>
    public static PeriodicDecoding? For(Sequential decoder)
    {
        var layers = decoder.children().ToList();
        if (layers.Count < 4 || layers.Count % 2 != 0) return null;
        if (layers[0] is not ConvTranspose2d projection || layers[1] is not ReLU) return null;
        var upsampling = new List<(PeriodicConvTranspose2d, bool)>();
        for (int i = 2; i < layers.Count; i += 2)
        {
            if (layers[i] is not PeriodicConvTranspose2d layer || layers[i + 1] is not (ReLU or Sigmoid)) return null;
            upsampling.Add((layer, layers[i + 1] is ReLU));
        }
        return new PeriodicDecoding(projection, [.. upsampling]);
    }

    /// <summary>Latent grid [B, D, G, G] → the decoder's output [B, 1, S, S].</summary>
    public Tensor Decode(Tensor quantized)
    {
        using var scope = NewDisposeScope();
        return Upsample(_projection.call(quantized).relu_()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Code indices [B, G, G] (checked by the caller) of <paramref name="codebook"/> [K, D] → the decoder's output. The
    /// projection of a code does not depend on where it sits, so it runs once per code (K of them) instead of once per
    /// grid cell, and the cells gather their codes' projections: the projection's transposed-convolution kernel took
    /// 0.15-0.19 s per 12,288 images of 64 cells.
    /// </summary>
    public Tensor DecodeIndices(Tensor indices, Tensor codebook)
    {
        using var scope = NewDisposeScope();
        long b = indices.shape[0], g1 = indices.shape[1], g2 = indices.shape[2], k = codebook.shape[0];
        var projected = _projection.call(codebook.view(k, codebook.shape[1], 1, 1)).relu_().view(k, -1);
        if (UsesCodePhaseTable(indices, codebook))
        {
            // On the CPU the first upsampling layer is looked up per code (CodePhaseTable): same values to float rounding.
            var layer = FirstUpsampling;
            var activations = CodePhaseTable.PaddedActivations(indices, CodePhaseTable.Taps(projected, layer), layer.Bias, get_num_threads());
            return UpsampleFrom(activations, first: 1).MoveToOuterDisposeScope();
        }
        var cells = projected.index_select(0, indices.reshape(-1)).view(b, g1, g2, projected.shape[1]).permute(0, 3, 1, 2);
        return Upsample(cells).MoveToOuterDisposeScope();
    }

    /// <summary>The first upsampling layer, which <see cref="DecodeIndices"/> looks up per code on the CPU (for counting its work).</summary>
    public PeriodicConvTranspose2d FirstUpsampling => _upsampling[0].Layer;

    /// <summary>Whether the first upsampling layer has the form <see cref="CodePhaseTable"/> computes: a ReLU, and a layer after it.</summary>
    public bool HasCodePhaseTable => _upsampling.Length > 1 && _upsampling[0].Rectified;

    /// <summary>
    /// Whether <see cref="DecodeIndices"/> looks the first layer up rather than convolving it: on the CPU in float32, for a
    /// square grid, with <see cref="HasCodePhaseTable"/> (every shipped decoder).
    /// </summary>
    public bool UsesCodePhaseTable(Tensor indices, Tensor codebook) =>
        HasCodePhaseTable && indices.device_type == DeviceType.CPU && codebook.device_type == DeviceType.CPU
        && codebook.dtype == ScalarType.Float32 && indices.shape[1] == indices.shape[2];

    // The first activation [B, C, G, G] (after the projection's ReLU) → the output.
    private Tensor Upsample(Tensor projected) => UpsampleFrom(nn.functional.pad(projected, [1, 1, 1, 1], PaddingModes.Circular), first: 0);

    // The input of upsampling layer `first`, already padded by one periodic line per side → the output.
    private Tensor UpsampleFrom(Tensor x, int first)
    {
        for (int i = first; i < _upsampling.Length; i++)
        {
            var (layer, rectified) = _upsampling[i];
            var phases = layer.PhasesOfPadded(x);
            // A ReLU runs inside the interleave; the sigmoid in place on the phases.
            if (!rectified) phases.sigmoid_();
            x = PhaseInterleave.Interleave(phases, periodicPadding: i < _upsampling.Length - 1, rectify: rectified);
        }
        return x;
    }
}
