using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.VqVae;

/// <summary>
/// Decoder probabilities [B, 1, S, S] to fabricable two-phase designs: pixels above 0.5 become material A (1), then
/// speckle goes. A pixel whose four periodic neighbours all belong to the other phase cannot be fabricated, and the GRF
/// data almost never holds one, so first every isolated A pixel becomes B, then every isolated B pixel becomes A.
/// Neither pass can isolate another pixel (a flipped pixel now matches all its neighbours), so the designs hold no
/// isolated pixel and only pixels isolated in the thresholded map change. The generator's torch paths and its ONNX graph
/// compute exactly this (its graph in float32, where sums of 0/1 values are exact).
/// </summary>
public static class DesignBinarization
{
    /// <summary>Threshold between the phases: a pixel above it is material A.</summary>
    public const double Threshold = 0.5;

    /// <summary>
    /// Thresholds <paramref name="probabilities"/> [B, 1, S, S] and removes isolated pixels; float32 0/1 values. On maps
    /// that are already 0/1 it only removes the isolated pixels.
    /// </summary>
    /// <exception cref="ArgumentException">Not a [B, 1, S, S] tensor.</exception>
    public static Tensor Binarize(Tensor probabilities)
    {
        CheckShape(probabilities, nameof(probabilities));
        using var scope = NewDisposeScope();
        return WithoutIsolatedPixels(probabilities.gt(HeldScalar.Of(Threshold))).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    // On bytes, not floats: a quarter of the memory traffic, which is all this costs next to the decoder.
    private static Tensor WithoutIsolatedPixels(Tensor materialA)
    {
        using var scope = NewDisposeScope();
        // An A pixel stays when at least one neighbour is A; then a B pixel whose four neighbours are A becomes A.
        var withoutIsolatedA = materialA.logical_and(NeighbourSum(materialA).ne(HeldScalar.Of(0L)));
        return withoutIsolatedA.logical_or(NeighbourSum(withoutIsolatedA).eq(HeldScalar.Of(4L))).MoveToOuterDisposeScope();
    }

    /// <summary>A-neighbours of each pixel (0-4), the cell edge wrapping: the design is one tile of a periodic film.</summary>
    private static Tensor NeighbourSum(Tensor materialA)
    {
        using var scope = NewDisposeScope();
        var x = materialA.to_type(ScalarType.Byte);
        return x.roll(1L, 2L).Plus(x.roll(-1L, 2L)).Plus(x.roll(1L, 3L)).Plus(x.roll(-1L, 3L)).MoveToOuterDisposeScope();
    }

    private static void CheckShape(Tensor maps, string name)
    {
        ArgumentNullException.ThrowIfNull(maps, name);
        if (maps.dim() != 4 || maps.shape[1] != 1)
            throw new ArgumentException($"Design maps must have shape [B, 1, S, S]; got [{string.Join(", ", maps.shape)}].", name);
    }
}
