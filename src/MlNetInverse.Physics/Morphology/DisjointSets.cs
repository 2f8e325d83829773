namespace MlNetInverse.Physics.Morphology;

/// <summary>
/// Union-find over a parent array (element i starts as its own root): the connected regions of <see cref="PhaseComponents"/>
/// and <see cref="LakeFilling"/>. A set's root is always its smallest element, so roots come in raster order.
/// </summary>
internal static class DisjointSets
{
    /// <summary>The root of <paramref name="i"/>'s set.</summary>
    public static int Find(int[] parent, int i)
    {
        while (parent[i] != i) i = parent[i] = parent[parent[i]]; // path halving keeps the trees flat
        return i;
    }

    /// <summary>Joins the sets of <paramref name="i"/> and <paramref name="j"/> under the smaller root.</summary>
    public static void Union(int[] parent, int i, int j)
    {
        int ri = Find(parent, i), rj = Find(parent, j);
        if (ri != rj) parent[Math.Max(ri, rj)] = Math.Min(ri, rj);
    }
}
