using System.Numerics;
using System.Runtime.CompilerServices;

namespace MlNetInverse.Models.Mdn;

/// <summary>
/// Turns standard normals into correlated ones, e -> C e for a lower-triangular factor C (<see cref="MdnOptions.CorrelatedNoise"/>),
/// row by row in one fixed order: every sampler (the network's, the ML.NET transformer's, the scoring engines') gets
/// the same values bit for bit whatever batch a draw comes in, which one matrix product per batch would not promise.
/// </summary>
public static class NoiseCorrelation
{
    /// <summary>
    /// Replaces each draw's L normals in <paramref name="noise"/> (draws back to back) by C e, C = <paramref name="factor"/>
    /// [L * L] row-major; nothing when it is null. Draws run in parallel on up to <paramref name="threads"/> cores (0: all)
    /// when there are many; each draw's values do not depend on that.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths do not fit L.</exception>
    public static void Apply(float[]? factor, int latentDimension, Span<float> noise, int threads = 0)
    {
        if (factor is null || noise.IsEmpty) return;
        int l = latentDimension;
        if (l < 1 || factor.Length != l * l || noise.Length % l != 0)
            throw new ArgumentException($"A noise factor of {factor.Length} values and {noise.Length} normals do not fit L={l}.");
        int draws = noise.Length / l;
        if (draws < DrawsPerBlock)
        {
            ApplyBlock(factor, l, noise, new float[noise.Length]);
            return;
        }
        // Spans cannot enter a lambda: the blocks reach the draws through the pinned address (no copy of every draw).
        unsafe
        {
            fixed (float* pinned = noise)
            {
                nint address = (nint)pinned;
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : -1 };
                Parallel.For(0, (draws + DrawsPerBlock - 1) / DrawsPerBlock, parallel, () => new float[DrawsPerBlock * l], (block, _, scratch) =>
                {
                    int start = block * DrawsPerBlock, count = Math.Min(draws, start + DrawsPerBlock) - start;
                    ApplyBlock(factor, l, new Span<float>((float*)address + (long)start * l, count * l), scratch);
                    return scratch;
                }, _ => { });
            }
        }
    }

    /// <summary>
    /// Like <see cref="Apply(float[], int, Span{float}, int)"/>, each draw with the factor of its own condition
    /// (<paramref name="conditionOfDraw"/>[p] for draw p): draws are grouped by band, so each band's factor is read once
    /// per group, and every draw's values are those it gets alone. Nothing when <paramref name="factors"/> is null; with
    /// one factor the conditions are not read (they may be empty).
    /// </summary>
    /// <exception cref="ArgumentException">The lengths do not fit L or, with bands, the number of draws.</exception>
    public static void Apply(NoiseFactors? factors, ReadOnlySpan<float> conditionOfDraw, Span<float> noise, int threads = 0)
    {
        if (factors is null || noise.IsEmpty) return;
        int l = factors.LatentDimension, draws = noise.Length / l;
        if (factors.Count == 1)
        {
            Apply(factors.Factor(0), l, noise, threads);
            return;
        }
        if (noise.Length % l != 0 || conditionOfDraw.Length != draws)
            throw new ArgumentException($"{noise.Length} normals and {conditionOfDraw.Length} conditions do not make whole draws of L={l}.");
        var band = new int[draws];
        var starts = new int[factors.Count + 1];
        for (int p = 0; p < draws; p++) starts[(band[p] = factors.BandOf(conditionOfDraw[p])) + 1]++;
        for (int b = 0; b < factors.Count; b++) starts[b + 1] += starts[b];
        if (starts[band[0]] == 0 && starts[band[0] + 1] == draws)
        {
            Apply(factors.Factor(band[0]), l, noise, threads);
            return;
        }
        // Counting sort of the draws by band into one buffer, each band's block correlated at once, then put back.
        var sorted = new float[noise.Length];
        var place = new int[draws];
        var next = (int[])starts.Clone();
        for (int p = 0; p < draws; p++)
        {
            place[p] = next[band[p]]++;
            noise.Slice(p * l, l).CopyTo(sorted.AsSpan(place[p] * l, l));
        }
        for (int b = 0; b < factors.Count; b++)
            if (starts[b + 1] > starts[b])
                Apply(factors.Factor(b), l, sorted.AsSpan(starts[b] * l, (starts[b + 1] - starts[b]) * l), threads);
        for (int p = 0; p < draws; p++) sorted.AsSpan(place[p] * l, l).CopyTo(noise.Slice(p * l, l));
    }

    /// <summary>Draws per pass over a row of C: it is loaded once for this many draws.</summary>
    internal const int DrawsPerPass = 8;

    // Draws per block, and rows of C per pass over a block: the block's normals (128 KB at L = 512) and that many rows of
    // C (at most 128 KB) stay in L2 while every group of eight draws reads them; C as a whole (1 MB) does not fit.
    private const int DrawsPerBlock = 64, RowsPerPass = 64;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ApplyBlock(float[] factor, int l, Span<float> draws, float[] scratch)
    {
        int count = draws.Length / l;
        draws.CopyTo(scratch);
        for (int rowStart = 0; rowStart < l; rowStart += RowsPerPass)
        {
            int rowEnd = Math.Min(l, rowStart + RowsPerPass);
            for (int first = 0; first < count; first += DrawsPerPass)
            {
                int n = Math.Min(DrawsPerPass, count - first);
                var group = draws.Slice(first * l, n * l);
                ReadOnlySpan<float> e = scratch.AsSpan(first * l, n * l);
                if (n == DrawsPerPass) ApplyFull(factor, l, rowStart, rowEnd, group, e);
                else
                    for (int p = 0; p < n; p++)
                        for (int i = rowStart; i < rowEnd; i++)
                            group[p * l + i] = Dot(factor.AsSpan(i * l, i + 1), e.Slice(p * l, i + 1));
            }
        }
    }

    // Eight draws against each row of C at once, read through pointers (no span slicing or bounds checks in the inner
    // loop). Every value is summed exactly as Dot sums it (same lanes, a multiply then an add, in the same order), so a
    // draw's result does not depend on the draws beside it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ApplyFull(float[] factor, int l, int rowStart, int rowEnd, Span<float> draws, ReadOnlySpan<float> e)
    {
        int width = Vector<float>.Count;
        fixed (float* c = factor, x = e, into = draws)
        {
            for (int i = rowStart; i < rowEnd; i++)
            {
                float* row = c + (long)i * l;
                int length = i + 1, j = 0;
                Vector<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
                for (; j <= length - width; j += width)
                {
                    var weight = Vector.Load(row + j);
                    float* at = x + j;
                    s0 += weight * Vector.Load(at);
                    s1 += weight * Vector.Load(at + l);
                    s2 += weight * Vector.Load(at + 2 * l);
                    s3 += weight * Vector.Load(at + 3 * l);
                    s4 += weight * Vector.Load(at + 4 * l);
                    s5 += weight * Vector.Load(at + 5 * l);
                    s6 += weight * Vector.Load(at + 6 * l);
                    s7 += weight * Vector.Load(at + 7 * l);
                }
                var weights = new ReadOnlySpan<float>(row, length);
                into[i] = Finish(s0, weights, e.Slice(0, l), j);
                into[l + i] = Finish(s1, weights, e.Slice(l, l), j);
                into[2 * l + i] = Finish(s2, weights, e.Slice(2 * l, l), j);
                into[3 * l + i] = Finish(s3, weights, e.Slice(3 * l, l), j);
                into[4 * l + i] = Finish(s4, weights, e.Slice(4 * l, l), j);
                into[5 * l + i] = Finish(s5, weights, e.Slice(5 * l, l), j);
                into[6 * l + i] = Finish(s6, weights, e.Slice(6 * l, l), j);
                into[7 * l + i] = Finish(s7, weights, e.Slice(7 * l, l), j);
            }
        }
    }

    // A fixed summation order: vector lanes, then the lanes in order, then the tail.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int width = Vector<float>.Count, i = 0;
        var sum = Vector<float>.Zero;
        for (; i <= a.Length - width; i += width) sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        return Finish(sum, a, b, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Finish(Vector<float> sum, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int tail)
    {
        float total = 0;
        for (int lane = 0; lane < Vector<float>.Count; lane++) total += sum[lane];
        for (int i = tail; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }
}
