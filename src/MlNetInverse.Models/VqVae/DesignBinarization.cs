using System.Numerics;
using System.Runtime.CompilerServices;
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
/// pixel becomes B, then every isolated B pixel becomes A (<see cref="SpeckleRemoval"/>). Then B regions under
/// <see cref="LakeFilling.SmallestLake"/> pixels other than the largest become A (<see cref="LakeFilling"/>), which can
/// only merge regions, so no pixel becomes isolated again. Both engines run this code on the host: the torch paths on
/// the decoder's output, the ONNX engine on its graph's probabilities and pixel counts (<see cref="BinarizeOnHost"/>).
/// The exported graph's own images output computes the first two steps (in float32, where sums of 0/1 values are exact)
/// for users of the ONNX files alone.
/// </summary>
public static class DesignBinarization
{
    /// <summary>Threshold between the phases: a pixel above it is material A.</summary>
    public const double Threshold = 0.5;

    /// <summary>
    /// Thresholds <paramref name="probabilities"/> [B, 1, S, S] (at 0.5, or at the quantile that gives each design's
    /// <paramref name="volumeFractions"/> [B]), removes isolated pixels and fills lakes; float32 0/1 values on the input's
    /// device. On maps that are already 0/1 and no volume fractions it only removes isolated pixels and fills lakes.
    /// Probabilities of another type are compared in float32, as the decoder and the exported graph produce them.
    /// </summary>
    /// <exception cref="ArgumentException">Not a [B, 1, S, S] tensor, or volume fractions that are not [B].</exception>
    public static Tensor Binarize(Tensor probabilities, Tensor? volumeFractions = null) =>
        Designs(probabilities, volumeFractions, fillLakes: true);

    /// <summary>
    /// The first two steps of <see cref="Binarize"/> (threshold, no isolated pixels), without the lake filling: what the
    /// exported ONNX graph computes before the host fills the lakes.
    /// </summary>
    /// <exception cref="ArgumentException">Not a [B, 1, S, S] tensor, or volume fractions that are not [B].</exception>
    public static Tensor WithoutSpeckle(Tensor probabilities, Tensor? volumeFractions = null) =>
        Designs(probabilities, volumeFractions, fillLakes: false);

    // Every step runs on the host, a design at a time on the calling thread's torch thread count: the cut, speckle and
    // lakes are byte work on 4,096 pixels that torch's element-wise kernels did in many passes over the whole batch
    // (0.36-0.40 s per 8,192 designs against the decoder's 1.1 s).
    private static Tensor Designs(Tensor probabilities, Tensor? volumeFractions, bool fillLakes)
    {
        CheckShape(probabilities, volumeFractions);
        using var scope = NewDisposeScope();
        int b = (int)probabilities.shape[0], size = (int)probabilities.shape[3];
        var host = probabilities.to_type(ScalarType.Float32).cpu().contiguous();
        var designs = empty([b, 1L, size, size], ScalarType.Float32);
        long[] counts = volumeFractions is null ? [] : PixelCounts(volumeFractions, size * size);
        BinarizeOnHost(MemoryMarshal.Cast<byte, float>(host.bytes), counts, MemoryMarshal.Cast<byte, float>(designs.bytes), size, get_num_threads(), fillLakes);
        return designs.to(probabilities.device).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="Binarize"/> without torch: <paramref name="probabilities"/> (whole S x S
    /// designs one after another) become 0/1 <paramref name="designs"/>, each design's material A its
    /// <paramref name="pixelCounts"/> most probable pixels (empty: pixels above 0.5), then no isolated pixels and, with
    /// <paramref name="fillLakes"/>, no lakes; designs run in parallel on up to <paramref name="threads"/> cores. The ONNX
    /// engine calls this on its graph's probabilities and pixel counts, so both engines binarize with one code.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths that are not whole designs or do not match, or a count outside [1, S*S].</exception>
    public static void BinarizeOnHost(ReadOnlySpan<float> probabilities, ReadOnlySpan<long> pixelCounts, Span<float> designs, int size, int threads, bool fillLakes = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        int pixels = size * size, b = probabilities.Length / pixels;
        if (probabilities.Length % pixels != 0 || designs.Length != probabilities.Length)
            throw new ArgumentException($"{probabilities.Length} probabilities and {designs.Length} design values are not the same whole {size}x{size} designs.", nameof(designs));
        if (!pixelCounts.IsEmpty && pixelCounts.Length != b)
            throw new ArgumentException($"{pixelCounts.Length} pixel counts for {b} designs; give one per design or none.", nameof(pixelCounts));
        foreach (long k in pixelCounts)
            if (k < 1 || k > pixels) throw new ArgumentException($"A pixel count of {k} does not fit a {size}x{size} design (1 to {pixels}).", nameof(pixelCounts));
        long[]? counts = pixelCounts.IsEmpty ? null : pixelCounts.ToArray();
        const int DesignsPerTask = 32;
        unsafe
        {
            fixed (float* input = probabilities, output = designs)
            {
                // Spans cannot enter a lambda: the tasks reach the designs through the pinned addresses.
                nint inputAddress = (nint)input, outputAddress = (nint)output;
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) };
                Parallel.For(0, (b + DesignsPerTask - 1) / DesignsPerTask, parallel, task =>
                {
                    int first = task * DesignsPerTask, last = Math.Min(b, first + DesignsPerTask);
                    var values = new ReadOnlySpan<float>((float*)inputAddress + (long)first * pixels, (last - first) * pixels);
                    var maps = new Span<float>((float*)outputAddress + (long)first * pixels, (last - first) * pixels);
                    var materialA = Scratch(maps.Length);
                    for (int i = first; i < last; i++)
                    {
                        int at = (i - first) * pixels;
                        MaterialA(values.Slice(at, pixels), counts?[i], materialA.Slice(at, pixels));
                    }
                    SpeckleRemoval.Remove(materialA, size);
                    if (fillLakes) LakeFilling.Fill(materialA, size);
                    Widen(materialA, maps);
                });
            }
        }
    }

    [ThreadStatic] private static byte[]? _scratch;

    // A task's material A bytes, kept per thread: a task's 32 designs are 128 KB, which would land on the large object heap.
    private static Span<byte> Scratch(int length) =>
        (_scratch is { } scratch && scratch.Length >= length ? scratch : _scratch = new byte[length]).AsSpan(0, length);

    /// <summary>
    /// k = round(v*S*S) clamped to [1, S*S] per design, in float32 as the exported graph computes it, so the engines agree
    /// pixel for pixel.
    /// </summary>
    internal static long[] PixelCounts(Tensor volumeFractions, int pixels)
    {
        using var scope = NewDisposeScope();
        return volumeFractions.reshape(-1).to_type(ScalarType.Float32).mul(HeldScalar.Of((double)pixels)).round()
            .clamp(HeldScalar.Of(1.0), HeldScalar.Of((double)pixels)).to_type(ScalarType.Int64).cpu().data<long>().ToArray();
    }

    /// <summary>
    /// Material A of one design: pixels above <see cref="Threshold"/>, or, given a pixel count k, the pixels at or above
    /// its k-th largest probability (<see cref="MostProbablePixels"/>; the graph's TopK and GatherElements give the same
    /// cut).
    /// </summary>
    private static void MaterialA(ReadOnlySpan<float> probabilities, long? count, Span<byte> materialA)
    {
        if (count is { } k) Above(probabilities, MostProbablePixels.Cut(probabilities, (int)k), orEqual: true, materialA);
        else Above(probabilities, (float)Threshold, orEqual: false, materialA);
    }

    // 1 where the value passes the cut, else 0; NaN passes no cut, as in torch's comparisons. Optimised from the first
    // call: tiering left these loops unoptimised through a whole scoring block.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Above(ReadOnlySpan<float> values, float cut, bool orEqual, Span<byte> passed)
    {
        int width = Vector<float>.Count, i = 0;
        ref float value = ref MemoryMarshal.GetReference(values);
        ref byte target = ref MemoryMarshal.GetReference(passed);
        var cuts = new Vector<float>(cut);
        for (; i + 4 * width <= values.Length; i += 4 * width)
        {
            // Four float masks narrow to one vector of bytes.
            var words = Vector.Narrow(
                Vector.Narrow(Passes(Vector.LoadUnsafe(ref value, (nuint)i), cuts, orEqual), Passes(Vector.LoadUnsafe(ref value, (nuint)(i + width)), cuts, orEqual)),
                Vector.Narrow(Passes(Vector.LoadUnsafe(ref value, (nuint)(i + 2 * width)), cuts, orEqual), Passes(Vector.LoadUnsafe(ref value, (nuint)(i + 3 * width)), cuts, orEqual)));
            (Vector.AsVectorByte(words) & Vector<byte>.One).StoreUnsafe(ref target, (nuint)i);
        }
        for (; i < values.Length; i++) passed[i] = (orEqual ? values[i] >= cut : values[i] > cut) ? (byte)1 : (byte)0;
    }

    private static Vector<int> Passes(Vector<float> values, Vector<float> cuts, bool orEqual) =>
        orEqual ? Vector.GreaterThanOrEqual(values, cuts) : Vector.GreaterThan(values, cuts);

    // Bytes 0/1 to floats 0/1.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Widen(ReadOnlySpan<byte> bytes, Span<float> floats)
    {
        int width = Vector<byte>.Count, quarter = Vector<float>.Count, i = 0;
        ref byte source = ref MemoryMarshal.GetReference(bytes);
        ref float target = ref MemoryMarshal.GetReference(floats);
        for (; i + width <= bytes.Length; i += width)
        {
            Vector.Widen(Vector.LoadUnsafe(ref source, (nuint)i), out var low, out var high);
            Vector.Widen(low, out var a, out var b);
            Vector.Widen(high, out var c, out var d);
            Vector.ConvertToSingle(a).StoreUnsafe(ref target, (nuint)i);
            Vector.ConvertToSingle(b).StoreUnsafe(ref target, (nuint)(i + quarter));
            Vector.ConvertToSingle(c).StoreUnsafe(ref target, (nuint)(i + 2 * quarter));
            Vector.ConvertToSingle(d).StoreUnsafe(ref target, (nuint)(i + 3 * quarter));
        }
        for (; i < bytes.Length; i++) floats[i] = bytes[i];
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
