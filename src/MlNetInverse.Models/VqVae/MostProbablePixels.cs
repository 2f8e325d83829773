using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MlNetInverse.Models.VqVae;

/// <summary>
/// The k-th largest of a design's probabilities without sorting them: a radix select on the floats' bit patterns, turned
/// into unsigned keys that order as the floats do. Three counting passes (the top 11 bits, the next 11, the last 10), each
/// over only the values that share the higher bits of the k-th, give its exact pattern. Sorting every design's S*S
/// pixels cost more than decoding them (0.9 s per 8,192 designs of 64x64 on two threads), and equal-width buckets of
/// [0, 1] were no better on decoded maps: their confident pixels all sit within 1e-4 of 0 or 1, in one bucket to sort.
/// </summary>
internal static class MostProbablePixels
{
    private const int HighBits = 11, MiddleBits = 11, LowBits = 10;

    /// <summary>
    /// The <paramref name="count"/>-th largest value of <paramref name="values"/> (1 = the largest): the cut a descending
    /// sort gives at index count - 1, so every value at or above it makes at least <paramref name="count"/> pixels.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> outside [1, values.Length].</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Cut(ReadOnlySpan<float> values, int count)
    {
        if (count < 1 || count > values.Length)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Choose between 1 and {values.Length} pixels.");
        var keys = values.Length <= 4096 ? stackalloc uint[values.Length] : new uint[values.Length];
        KeysOf(values, keys);
        Span<int> histogram = stackalloc int[1 << HighBits];
        int remaining = count;

        uint high = Select(keys, 32 - HighBits, HighBits, histogram, ref remaining);
        var candidates = keys[..Keep(keys, keys, 32 - HighBits, high)];
        uint middle = Select(candidates, LowBits, MiddleBits, histogram, ref remaining);
        candidates = candidates[..Keep(candidates, candidates, LowBits, (high << MiddleBits) | middle)];
        uint low = Select(candidates, 0, LowBits, histogram, ref remaining);
        return FloatOf((((high << MiddleBits) | middle) << LowBits) | low);
    }

    /// <summary>
    /// The digit (bits <paramref name="shift"/> up, <paramref name="bits"/> wide) of the <paramref name="remaining"/>-th
    /// largest key; <paramref name="remaining"/> becomes its rank among the keys with that digit.
    /// </summary>
    private static uint Select(ReadOnlySpan<uint> keys, int shift, int bits, Span<int> histogram, ref int remaining)
    {
        var counts = histogram[..(1 << bits)];
        counts.Clear();
        uint mask = (1u << bits) - 1;
        foreach (uint key in keys) counts[(int)((key >> shift) & mask)]++;
        int digit = counts.Length - 1;
        while (counts[digit] < remaining) remaining -= counts[digit--];
        return (uint)digit;
    }

    // Moves the keys whose bits from shift up equal prefix to the front (in place: the write never passes the read).
    private static int Keep(ReadOnlySpan<uint> keys, Span<uint> kept, int shift, uint prefix)
    {
        int n = 0;
        foreach (uint key in keys)
        {
            kept[n] = key;
            n += (key >> shift) == prefix ? 1 : 0;
        }
        return n;
    }

    // A float's bits as a key that orders as the float: a positive value's sign bit set, a negative value's bits all flipped.
    private static void KeysOf(ReadOnlySpan<float> values, Span<uint> keys)
    {
        var bits = MemoryMarshal.Cast<float, int>(values);
        int width = Vector<int>.Count, i = 0;
        var sign = new Vector<int>(int.MinValue);
        for (; i + width <= bits.Length; i += width)
        {
            var v = Vector.LoadUnsafe(ref MemoryMarshal.GetReference(bits), (nuint)i);
            Vector.AsVectorUInt32(v ^ (Vector.ShiftRightArithmetic(v, 31) | sign)).StoreUnsafe(ref MemoryMarshal.GetReference(keys), (nuint)i);
        }
        for (; i < bits.Length; i++) keys[i] = (uint)(bits[i] ^ ((bits[i] >> 31) | int.MinValue));
    }

    private static float FloatOf(uint key)
    {
        int bits = (key & 0x8000_0000u) != 0 ? (int)(key ^ 0x8000_0000u) : (int)~key;
        return BitConverter.Int32BitsToSingle(bits);
    }
}
