using System.Numerics;
using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// A binary map packed 64 pixels per word, so pixel distances between thousands of maps are a few popcounts each.
/// A pixel is on when its value exceeds 0.5 (the fabrication threshold every method's output already meets).
/// </summary>
internal sealed class BinaryMap
{
    private readonly ulong[] _words;

    private BinaryMap(ulong[] words, int pixels, int onPixels)
    {
        _words = words;
        PixelCount = pixels;
        OnPixels = onPixels;
    }

    /// <summary>Pixels in the map (S*S).</summary>
    public int PixelCount { get; }

    /// <summary>Pixels of material A.</summary>
    public int OnPixels { get; }

    /// <summary>Fraction of material A.</summary>
    public double VolumeFraction => (double)OnPixels / PixelCount;

    /// <summary>Packs <paramref name="pixels"/> (values in [0, 1]; on when above 0.5).</summary>
    public static BinaryMap Of(ReadOnlySpan<float> pixels)
    {
        var words = new ulong[(pixels.Length + 63) / 64];
        int on = 0;
        for (int i = 0; i < pixels.Length; i++)
        {
            if (pixels[i] <= 0.5f) continue;
            words[i >> 6] |= 1UL << (i & 63);
            on++;
        }
        return new BinaryMap(words, pixels.Length, on);
    }

    /// <summary>Packs a microstructure.</summary>
    public static BinaryMap Of(Microstructure map) => Of(map.Pixels);

    /// <summary>Fraction of pixels where the two maps differ (0 = identical, 1 = complementary).</summary>
    /// <exception cref="ArgumentException">Maps of different sizes.</exception>
    public double DistanceTo(BinaryMap other)
    {
        if (other.PixelCount != PixelCount)
            throw new ArgumentException($"A {PixelCount}-pixel map cannot be compared with a {other.PixelCount}-pixel map.", nameof(other));
        int differing = 0;
        for (int w = 0; w < _words.Length; w++) differing += BitOperations.PopCount(_words[w] ^ other._words[w]);
        return (double)differing / PixelCount;
    }
}
