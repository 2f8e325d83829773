using System.Numerics;

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
    /// [L * L] row-major; nothing when it is null. Draws run in parallel when there are many (each draw's values do not
    /// depend on that).
    /// </summary>
    /// <exception cref="ArgumentException">The lengths do not fit L.</exception>
    public static void Apply(float[]? factor, int latentDimension, Span<float> noise)
    {
        if (factor is null || noise.IsEmpty) return;
        int l = latentDimension;
        if (l < 1 || factor.Length != l * l || noise.Length % l != 0)
            throw new ArgumentException($"A noise factor of {factor.Length} values and {noise.Length} normals do not fit L={l}.");
        int draws = noise.Length / l;
        if (draws < 64)
        {
            var scratch = new float[l];
            for (int p = 0; p < draws; p++) ApplyOne(factor, noise.Slice(p * l, l), scratch);
            return;
        }
        // Spans cannot enter a lambda: the draws go through an array and back.
        var values = noise.ToArray();
        Parallel.For(0, (draws + 63) / 64, () => new float[l], (block, _, scratch) =>
        {
            int end = Math.Min(draws, (block + 1) * 64);
            for (int p = block * 64; p < end; p++) ApplyOne(factor, values.AsSpan(p * l, l), scratch);
            return scratch;
        }, _ => { });
        values.CopyTo(noise);
    }

    private static void ApplyOne(float[] factor, Span<float> draw, float[] scratch)
    {
        int l = draw.Length;
        draw.CopyTo(scratch);
        ReadOnlySpan<float> e = scratch;
        for (int i = 0; i < l; i++) draw[i] = Dot(factor.AsSpan(i * l, i + 1), e[..(i + 1)]);
    }

    // A fixed summation order: vector lanes, then the lanes in order, then the tail.
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int width = Vector<float>.Count, i = 0;
        var sum = Vector<float>.Zero;
        for (; i <= a.Length - width; i += width) sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        float total = 0;
        for (int lane = 0; lane < width; lane++) total += sum[lane];
        for (; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }
}
