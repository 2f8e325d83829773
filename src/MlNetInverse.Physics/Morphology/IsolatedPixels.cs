using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Physics.Morphology;

/// <summary>
/// Speckle: pixels whose four periodic neighbours (up, down, left, right, wrapping across the cell edge) all belong to
/// the other phase. A smooth GRF with features of several pixels has none; a fabricated cell cannot resolve them.
/// </summary>
public static class IsolatedPixels
{
    /// <summary>Number of isolated pixels of either phase in <paramref name="map"/> (pixels above 0.5 are material A).</summary>
    public static int Count(Microstructure map) => Mask(map).Count(isolated => isolated);

    /// <summary>Which pixels of <paramref name="map"/> are isolated (x * size + y layout, as the map's pixels).</summary>
    public static bool[] Mask(Microstructure map)
    {
        ArgumentNullException.ThrowIfNull(map);
        int n = map.Size;
        var a = PhaseMask.Of(map);
        var isolated = new bool[n * n];
        for (int x = 0; x < n; x++)
        {
            int up = (x + n - 1) % n * n, down = (x + 1) % n * n, row = x * n;
            for (int y = 0; y < n; y++)
            {
                bool p = a[row + y];
                isolated[row + y] = a[up + y] != p && a[down + y] != p && a[row + (y + n - 1) % n] != p && a[row + (y + 1) % n] != p;
            }
        }
        return isolated;
    }

    /// <summary>Isolated pixels as a fraction of all pixels (0 .. 1).</summary>
    public static double Rate(Microstructure map) => (double)Count(map) / (map.Size * map.Size);
}
