using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Mdn;

/// <summary>
/// The mixture piece by piece, for samplers that pick each draw's component before they need its Gaussian: the
/// weights alone, then only the picked components' means and sigmas. The mean and sigma heads hold K x L outputs per
/// target, so evaluating only the picked component does 1/K of their work (the hot path of batch scoring).
/// </summary>
public sealed partial class MixtureDensityNetwork
{
    /// <summary>Log mixture weights [B, K] for raw absorption [B] or [B, 1] (no gradient); equal to <see cref="Mixture"/>'s.</summary>
    /// <exception cref="ArgumentException">Bad absorption (shape, type, NaN or infinity).</exception>
    public Tensor LogWeights(Tensor absorption)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var hidden = _trunk.call(NormalizeAbsorption(absorption, nameof(absorption)));
        return nn.functional.log_softmax(_weights.call(hidden), 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Means and sigmas [P, L] (raw latent units, no gradient) of P chosen components: pair p is component
    /// <paramref name="components"/>[p] of the mixture of target <paramref name="rows"/>[p]. The same values as the
    /// matching slices of <see cref="Mixture"/>, computed one component group at a time.
    /// </summary>
    /// <param name="absorption">Raw absorption [B] or [B, 1].</param>
    /// <param name="rows">Target index in [0, B) of each pair.</param>
    /// <param name="components">Component index in [0, K) of each pair.</param>
    /// <exception cref="ArgumentException">Bad absorption, pair arrays of different lengths, or an index out of range.</exception>
    public (Tensor Means, Tensor Sigmas) ChosenComponents(Tensor absorption, ReadOnlySpan<int> rows, ReadOnlySpan<int> components)
    {
        if (rows.Length != components.Length)
            throw new ArgumentException($"{rows.Length} rows but {components.Length} components; give one of each per pair.", nameof(components));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var hidden = _trunk.call(NormalizeAbsorption(absorption, nameof(absorption)));
        long b = hidden.shape[0], h = hidden.shape[1];
        int k = Options.Components, l = Options.LatentDimension, p = rows.Length;
        var pairsOf = GroupByComponent(rows, components, b, k);
        var meanWeight = _means.weight!.view(k, l, h);
        var meanBias = _means.bias!.view(k, l);
        var sigmaWeight = _sigmas.weight!.view(k, l, h);
        var sigmaBias = _sigmas.bias!.view(k, l);
        var means = empty(p, l, ScalarType.Float32, Device);
        var sigmas = empty(p, l, ScalarType.Float32, Device);
        for (int c = 0; c < k; c++)
        {
            if (pairsOf[c] is not { Count: > 0 } pairs) continue;
            var pairIndex = new long[pairs.Count];
            var rowIndex = new long[pairs.Count];
            for (int j = 0; j < pairs.Count; j++) (pairIndex[j], rowIndex[j]) = (pairs[j], rows[pairs[j]]);
            var index = tensor(pairIndex, device: Device);
            var chosen = hidden.index_select(0, tensor(rowIndex, device: Device));
            means.index_copy_(0, index, nn.functional.linear(chosen, meanWeight[c], meanBias[c]));
            // The same activation as forward's sigma head.
            var sigma = nn.functional.linear(chosen, sigmaWeight[c], sigmaBias[c]).Elu().Plus(HeldScalar.Of(1 + SigmaEpsilon)).clamp_min(HeldScalar.Of(Options.SigmaFloor));
            sigmas.index_copy_(0, index, sigma);
        }
        return (means.mul(_latentStd).Plus(_latentMean).MoveToOuterDisposeScope(), sigmas.mul(_latentStd).MoveToOuterDisposeScope());
    }

    private static List<int>?[] GroupByComponent(ReadOnlySpan<int> rows, ReadOnlySpan<int> components, long targets, int k)
    {
        var pairsOf = new List<int>?[k];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] < 0 || rows[i] >= targets)
                throw new ArgumentException($"Pair {i} names target {rows[i]}; targets are 0 .. {targets - 1}.", nameof(rows));
            if (components[i] < 0 || components[i] >= k)
                throw new ArgumentException($"Pair {i} names component {components[i]}; components are 0 .. {k - 1}.", nameof(components));
            (pairsOf[components[i]] ??= []).Add(i);
        }
        return pairsOf;
    }
}
