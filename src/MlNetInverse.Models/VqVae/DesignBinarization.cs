using MlNetInverse.Physics.Morphology;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.VqVae;

/// <summary>
/// Decoder probabilities [B, 1, S, S] to fabricable two-phase designs: pixels above 0.5 become material A (1), then
/// speckle goes, then lakes. A pixel whose four periodic neighbours all belong to the other phase cannot be fabricated,
/// and the GRF data almost never holds one, so first every isolated A pixel becomes B, then every isolated B pixel
/// becomes A. Neither pass can isolate another pixel (a flipped pixel now matches all its neighbours). Then B regions
/// under <see cref="LakeFilling.SmallestLake"/> pixels other than the largest become A (<see cref="LakeFilling"/>),
/// which can only merge regions, so no pixel becomes isolated again. The generator's torch paths compute exactly this;
/// its ONNX graph computes the first two steps (in float32, where sums of 0/1 values are exact) and the ONNX engine
/// fills the lakes on the host.
/// </summary>
public static class DesignBinarization
{
    /// <summary>Threshold between the phases: a pixel above it is material A.</summary>
    public const double Threshold = 0.5;

    /// <summary>
    /// Thresholds <paramref name="probabilities"/> [B, 1, S, S], removes isolated pixels and fills lakes; float32 0/1
    /// values on the input's device. On maps that are already 0/1 it only removes isolated pixels and fills lakes.
    /// </summary>
    /// <exception cref="ArgumentException">Not a [B, 1, S, S] tensor.</exception>
    public static Tensor Binarize(Tensor probabilities)
    {
        CheckShape(probabilities, nameof(probabilities));
        using var scope = NewDisposeScope();
        // Connected regions are a sequential walk: on the CPU, over bytes, in place.
        var designs = MaterialAWithoutSpeckle(probabilities).to_type(ScalarType.Byte).cpu().contiguous();
        LakeFilling.Fill(designs.bytes, (int)probabilities.shape[3]);
        return designs.to_type(ScalarType.Float32).to(probabilities.device).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The first two steps of <see cref="Binarize"/> (threshold, no isolated pixels), without the lake filling: what the
    /// exported ONNX graph computes before the host fills the lakes.
    /// </summary>
    /// <exception cref="ArgumentException">Not a [B, 1, S, S] tensor.</exception>
    public static Tensor WithoutSpeckle(Tensor probabilities)
    {
        CheckShape(probabilities, nameof(probabilities));
        using var scope = NewDisposeScope();
        return MaterialAWithoutSpeckle(probabilities).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    private static Tensor MaterialAWithoutSpeckle(Tensor probabilities) => WithoutIsolatedPixels(probabilities.gt(HeldScalar.Of(Threshold)));

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
        if (maps.dim() != 4 || maps.shape[1] != 1 || maps.shape[2] != maps.shape[3])
            throw new ArgumentException($"Design maps must have shape [B, 1, S, S]; got [{string.Join(", ", maps.shape)}].", name);
    }
}
