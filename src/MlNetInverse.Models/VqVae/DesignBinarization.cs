using System.Runtime.InteropServices;
using MlNetInverse.Physics.Morphology;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.VqVae;

/// <summary>
/// Decoder probabilities [B, 1, S, S] to fabricable two-phase designs: pixels above 0.5 become material A (1), or, given
/// each design's volume fraction v (<see cref="VolumeFractionReadout"/>), the round(v*S*S) most probable pixels (at
/// least one; ties at the cut all become A); then speckle goes, then lakes. A pixel whose four periodic neighbours all
/// belong to the other phase cannot be fabricated, and the GRF data almost never holds one, so first every isolated A
/// pixel becomes B, then every isolated B pixel becomes A. Neither pass can isolate another pixel (a flipped pixel now matches all its neighbours). Then B regions
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
    /// Thresholds <paramref name="probabilities"/> [B, 1, S, S] (at 0.5, or at the quantile that gives each design's
    /// <paramref name="volumeFractions"/> [B]), removes isolated pixels and fills lakes; float32 0/1 values on the input's
    /// device. On maps that are already 0/1 and no volume fractions it only removes isolated pixels and fills lakes.
    /// </summary>
    /// <exception cref="ArgumentException">Not a [B, 1, S, S] tensor, or volume fractions that are not [B].</exception>
    public static Tensor Binarize(Tensor probabilities, Tensor? volumeFractions = null)
    {
        CheckShape(probabilities, volumeFractions);
        using var scope = NewDisposeScope();
        // Connected regions are a sequential walk: on the CPU, over bytes, in place.
        var designs = MaterialAWithoutSpeckle(probabilities, volumeFractions).to_type(ScalarType.Byte).cpu().contiguous();
        LakeFilling.Fill(designs.bytes, (int)probabilities.shape[3]);
        return designs.to_type(ScalarType.Float32).to(probabilities.device).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The first two steps of <see cref="Binarize"/> (threshold, no isolated pixels), without the lake filling: what the
    /// exported ONNX graph computes before the host fills the lakes.
    /// </summary>
    /// <exception cref="ArgumentException">Not a [B, 1, S, S] tensor, or volume fractions that are not [B].</exception>
    public static Tensor WithoutSpeckle(Tensor probabilities, Tensor? volumeFractions = null)
    {
        CheckShape(probabilities, volumeFractions);
        using var scope = NewDisposeScope();
        return MaterialAWithoutSpeckle(probabilities, volumeFractions).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    private static Tensor MaterialAWithoutSpeckle(Tensor probabilities, Tensor? volumeFractions) =>
        WithoutIsolatedPixels(volumeFractions is null ? probabilities.gt(HeldScalar.Of(Threshold)) : MostProbable(probabilities, volumeFractions));

    /// <summary>
    /// Per design, the pixels at or above its k-th largest probability, k = round(v*S*S) clamped to [1, S*S]: the exported
    /// graph computes the same k and cut (TopK, GatherElements), so the engines agree pixel for pixel. The cut is found
    /// on the host (<see cref="MostProbablePixels"/>), where a sort of every design's pixels would cost more than decoding.
    /// </summary>
    private static Tensor MostProbable(Tensor probabilities, Tensor volumeFractions)
    {
        using var scope = NewDisposeScope();
        long b = probabilities.shape[0], pixels = probabilities.shape[2] * probabilities.shape[3];
        var flat = probabilities.reshape(b, pixels);
        var counts = volumeFractions.reshape(b).to_type(ScalarType.Float32).mul(HeldScalar.Of((double)pixels)).round()
            .clamp(HeldScalar.Of(1.0), HeldScalar.Of((double)pixels)).to_type(ScalarType.Int64).cpu().contiguous();
        var host = flat.to_type(ScalarType.Float32).cpu().contiguous();
        var values = MemoryMarshal.Cast<byte, float>(host.bytes);
        var wanted = MemoryMarshal.Cast<byte, long>(counts.bytes);
        var cuts = new float[b];
        int n = (int)pixels;
        for (int i = 0; i < cuts.Length; i++) cuts[i] = MostProbablePixels.Cut(values.Slice(i * n, n), (int)wanted[i]);
        var cutColumn = tensor(cuts, [b, 1L]).to(probabilities.device).to_type(flat.dtype);
        return flat.ge(cutColumn).reshape(probabilities.shape).MoveToOuterDisposeScope();
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

    private static void CheckShape(Tensor maps, Tensor? volumeFractions)
    {
        ArgumentNullException.ThrowIfNull(maps, "probabilities");
        if (maps.dim() != 4 || maps.shape[1] != 1 || maps.shape[2] != maps.shape[3])
            throw new ArgumentException($"Design maps must have shape [B, 1, S, S]; got [{string.Join(", ", maps.shape)}].", "probabilities");
        if (volumeFractions is not null && (volumeFractions.dim() != 1 || volumeFractions.shape[0] != maps.shape[0]))
            throw new ArgumentException($"Volume fractions must have shape [{maps.shape[0]}], one per design; got [{string.Join(", ", volumeFractions.shape)}].", nameof(volumeFractions));
    }
}
