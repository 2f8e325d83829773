using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Tests.Physics.Morphology;

/// <summary>Synthetic maps with known morphology for the statistics' tests.</summary>
internal static class MorphologyMaps
{
    /// <summary>Ring GRF parameters of the shipped data's kind: features of about 64 / 3 / 2 = 10 pixels.</summary>
    public static readonly GrfParameters Ring = new(SpectralDensityFamily.Ring, 3, 0.8, 0.5);

    /// <summary>Pixel (x, y) is material A when x + y is even.</summary>
    public static Microstructure Checkerboard(int size = 64) => Map(size, (x, y) => (x + y) % 2 == 0);

    /// <summary>One material-A pixel at (x, y) in material B.</summary>
    public static Microstructure SinglePixel(int x = 10, int y = 20, int size = 64) => Map(size, (i, j) => i == x && j == y);

    /// <summary>Material A where <paramref name="isMaterialA"/> says so.</summary>
    public static Microstructure Map(int size, Func<int, int, bool> isMaterialA)
    {
        var pixels = new bool[size * size];
        for (int x = 0; x < size; x++)
            for (int y = 0; y < size; y++)
                pixels[x * size + y] = isMaterialA(x, y);
        return Microstructure.FromBinary(pixels, size);
    }

    /// <summary><paramref name="count"/> periodic GRF maps with seeds from <paramref name="firstSeed"/>.</summary>
    public static Microstructure[] Grf(int count, long firstSeed, GrfParameters? parameters = null, int size = 64)
    {
        var generator = new GaussianRandomFieldGenerator(size);
        return Enumerable.Range(0, count).Select(i => generator.Generate(parameters ?? Ring, firstSeed + i)).ToArray();
    }

    /// <summary>
    /// A deliberate seam: the half y &lt; N/2 of a periodic map is rolled by N/2 along x, so that half no longer meets
    /// the other half across column N/2 - 1 | N/2, nor across the cell edge column N-1 | 0.
    /// </summary>
    public static Microstructure ShiftedHalf(Microstructure map)
    {
        int n = map.Size;
        return Map(n, (x, y) => map[y < n / 2 ? (x + n / 2) % n : x, y] > 0.5f);
    }
}
