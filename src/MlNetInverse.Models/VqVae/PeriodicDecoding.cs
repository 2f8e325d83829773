using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetInverse.Models.VqVae;

/// <summary>
/// The periodic decoder (1x1 projection, ReLU, [<see cref="PeriodicConvTranspose2d"/>, activation]...) run without
/// gradients, the way batch scoring needs it: every upsampling by its phases, the activation applied in place on them,
/// and <see cref="PhaseInterleave"/> writing them straight into the next layer's periodically padded input, so no
/// activation, interleave or pad passes over memory on its own. The projection stays the module's own kernel (a matrix
/// product in its place differed in the last bit at some code dimensions). Every value equals the layer-by-layer
/// decoder's (<see cref="VqVaeModel.DecodeByLayers"/>, tested); training never comes here.
/// </summary>
internal sealed class PeriodicDecoding
{
    private readonly ConvTranspose2d _projection;
    private readonly (PeriodicConvTranspose2d Layer, Action<Tensor> Activation)[] _upsampling;

    private PeriodicDecoding(ConvTranspose2d projection, (PeriodicConvTranspose2d, Action<Tensor>)[] upsampling)
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
        var upsampling = new List<(PeriodicConvTranspose2d, Action<Tensor>)>();
        for (int i = 2; i < layers.Count; i += 2)
        {
            if (layers[i] is not PeriodicConvTranspose2d layer) return null;
            Action<Tensor>? activation = layers[i + 1] switch
            {
                ReLU => phases => phases.relu_(),
                Sigmoid => phases => phases.sigmoid_(),
                _ => null,
            };
            if (activation is null) return null;
            upsampling.Add((layer, activation));
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
        var cells = projected.index_select(0, indices.reshape(-1)).view(b, g1, g2, projected.shape[1]).permute(0, 3, 1, 2);
        return Upsample(cells).MoveToOuterDisposeScope();
    }

    // The first activation [B, C, G, G] (after the projection's ReLU) → the output.
    private Tensor Upsample(Tensor projected)
    {
        var x = nn.functional.pad(projected, [1, 1, 1, 1], PaddingModes.Circular);
        for (int i = 0; i < _upsampling.Length; i++)
        {
            var (layer, activation) = _upsampling[i];
            var phases = layer.PhasesOfPadded(x);
            activation(phases);
            x = PhaseInterleave.Interleave(phases, periodicPadding: i < _upsampling.Length - 1);
        }
        return x;
    }
}
