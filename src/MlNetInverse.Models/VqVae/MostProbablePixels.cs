using System.Numerics;

namespace MlNetInverse.Models.VqVae;

/// <summary>
/// The k-th largest of a design's probabilities without sorting them all: one counting pass over 2,048 equal-width
/// buckets of [0, 1] (values outside fall in the end buckets; the bucketing keeps their order), then a sort of the one
/// bucket that holds the k-th value. Sorting every design's S*S pixels cost more than decoding them (about 0.9 s per
/// 8,192 designs of 64x64 on two threads).
/// </summary>
internal static class MostProbablePixels
{
    private const int Buckets = 2048;

    /// <summary>
    /// The <paramref name="count"/>-th largest value of <paramref name="values"/> (1 = the largest): the cut a descending
    /// sort gives at index count - 1, so every value at or above it makes at least <paramref name="count"/> pixels.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> outside [1, values.Length].</exception>
    public static float Cut(ReadOnlySpan<float> values, int count)
    {
        if (count < 1 || count > values.Length)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Choose between 1 and {values.Length} pixels.");
        var buckets = values.Length <= 4096 ? stackalloc int[values.Length] : new int[values.Length];
        BucketsOf(values, buckets);
        Span<int> histogram = stackalloc int[Buckets];
        foreach (int b in buckets) histogram[b]++;
        int bucket = Buckets - 1, remaining = count;
        while (histogram[bucket] < remaining) remaining -= histogram[bucket--];

        var candidates = histogram[bucket] <= 256 ? stackalloc float[histogram[bucket]] : new float[histogram[bucket]];
        int n = 0;
        for (int i = 0; i < values.Length; i++)
            if (buckets[i] == bucket) candidates[n++] = values[i];
        candidates.Sort();
        return candidates[n - remaining];
    }

    /// <summary>Each value's bucket, a vector of values at a time (the same truncation as <see cref="Bucket"/>).</summary>
    private static void BucketsOf(ReadOnlySpan<float> values, Span<int> buckets)
    {
        int width = Vector<float>.Count, i = 0;
        var scale = new Vector<float>(Buckets);
        var last = new Vector<float>(Buckets - 1);
        for (; i + width <= values.Length; i += width)
        {
            var scaled = Vector.Min(Vector.Max(new Vector<float>(values[i..]) * scale, Vector<float>.Zero), last);
            Vector.ConvertToInt32(scaled).CopyTo(buckets[i..]);
        }
        for (; i < values.Length; i++) buckets[i] = Bucket(values[i]);
    }

    private static int Bucket(float value) => value <= 0f ? 0 : value >= 1f ? Buckets - 1 : Math.Min(Buckets - 1, (int)(value * Buckets));
}
