using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Physics.Morphology;

/// <summary>
/// Connected components of each phase under 4-connectivity on the torus: pixels that share an edge, including across
/// the cell edge, belong to one component, so a particle cut by the cell boundary counts once (as in the tiled structure).
/// </summary>
/// <param name="MaterialA">Components of material A (pixels above 0.5); 0 when there is none.</param>
/// <param name="MaterialB">Components of material B.</param>
public sealed record PhaseComponents(int MaterialA, int MaterialB)
{
    /// <summary>Counts the components of both phases of <paramref name="map"/>.</summary>
    public static PhaseComponents Count(Microstructure map)
    {
        ArgumentNullException.ThrowIfNull(map);
        int n = map.Size;
        var a = PhaseMask.Of(map);
        var parent = new int[n * n];
        for (int i = 0; i < parent.Length; i++) parent[i] = i;
        for (int x = 0; x < n; x++)
        {
            for (int y = 0; y < n; y++)
            {
                int i = x * n + y;
                int down = (x + 1) % n * n + y, right = x * n + (y + 1) % n;
                if (a[down] == a[i]) DisjointSets.Union(parent, i, down);
                if (a[right] == a[i]) DisjointSets.Union(parent, i, right);
            }
        }
        int componentsA = 0, componentsB = 0;
        for (int i = 0; i < parent.Length; i++)
        {
            if (DisjointSets.Find(parent, i) != i) continue;
            if (a[i]) componentsA++; else componentsB++;
        }
        return new PhaseComponents(componentsA, componentsB);
    }
}
