using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Physics.Morphology;

/// <summary>
/// Whether a cell tiles without a seam: how often neighbouring pixels disagree across the cell edge (row N-1 against
/// row 0, column N-1 against column 0) compared with across the interior lines (row x against row x+1, column y against
/// column y+1, for x, y &lt; N-1). In a periodic cell the edge is one more interior line, so the ratio is about 1 (a GRF
/// on the integer k-grid: 1 up to noise); a cell whose edges do not match shows an interface the design does not have.
/// </summary>
/// <param name="EdgeDisagreements">Disagreeing pixel pairs across the two cell edges.</param>
/// <param name="EdgePairs">Pixel pairs across the two cell edges (2N).</param>
/// <param name="InteriorDisagreements">Disagreeing pixel pairs across the interior lines.</param>
/// <param name="InteriorPairs">Pixel pairs across the interior lines (2N(N-1)).</param>
public sealed record PeriodicSeam(long EdgeDisagreements, long EdgePairs, long InteriorDisagreements, long InteriorPairs)
{
    /// <summary>Fraction of the pairs across the cell edge that disagree.</summary>
    public double EdgeRate => EdgePairs == 0 ? 0 : (double)EdgeDisagreements / EdgePairs;

    /// <summary>Fraction of the pairs across interior lines that disagree.</summary>
    public double InteriorRate => InteriorPairs == 0 ? 0 : (double)InteriorDisagreements / InteriorPairs;

    /// <summary>
    /// <see cref="EdgeRate"/> over <see cref="InteriorRate"/>: about 1 for a periodic cell; 1 when neither has any
    /// disagreement (a uniform cell is periodic), infinity when only the edge has.
    /// </summary>
    public double Ratio => InteriorDisagreements == 0
        ? (EdgeDisagreements == 0 ? 1 : double.PositiveInfinity)
        : EdgeRate / InteriorRate;

    /// <summary>Measures one map (pixels above 0.5 are material A).</summary>
    public static PeriodicSeam Of(Microstructure map)
    {
        ArgumentNullException.ThrowIfNull(map);
        int n = map.Size;
        var a = PhaseMask.Of(map);
        long edge = 0, interior = 0;
        for (int x = 0; x < n; x++)
        {
            for (int y = 0; y < n; y++)
            {
                int i = x * n + y;
                bool rowDiffers = a[i] != a[(x + 1) % n * n + y];
                bool columnDiffers = a[i] != a[x * n + (y + 1) % n];
                if (rowDiffers) { if (x == n - 1) edge++; else interior++; }
                if (columnDiffers) { if (y == n - 1) edge++; else interior++; }
            }
        }
        return new PeriodicSeam(edge, 2L * n, interior, 2L * n * (n - 1));
    }

    /// <summary>The pairs of several maps pooled: the seam of a set, robust to maps with few interfaces.</summary>
    public static PeriodicSeam Pool(IEnumerable<PeriodicSeam> seams)
    {
        ArgumentNullException.ThrowIfNull(seams);
        long e = 0, ep = 0, i = 0, ip = 0;
        foreach (var s in seams) { e += s.EdgeDisagreements; ep += s.EdgePairs; i += s.InteriorDisagreements; ip += s.InteriorPairs; }
        return new PeriodicSeam(e, ep, i, ip);
    }
}
