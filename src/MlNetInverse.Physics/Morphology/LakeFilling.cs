using System.Numerics;

namespace MlNetInverse.Physics.Morphology;

/// <summary>
/// Fills lakes: regions of material B (value 0) under <see cref="SmallestLake"/> pixels, other than the design's largest
/// B region, become material A. The GRF data's B phase is one connected sea with almost no small enclosed regions, while
/// decoded designs carry small B holes inside A features; they double the component counts the morphology check compares
/// and are too small to fabricate. Regions are 4-connected on the torus (the design is one tile of a periodic film), as
/// in <see cref="PhaseComponents"/>. The largest region always stays, so a design whose B phase is all small keeps it.
/// </summary>
/// <remarks>
/// Connected components have no ONNX operator, so the exported graph stops at the speckle-free images and the ONNX engine
/// calls this before the surrogate, exactly as the torch paths do.
/// </remarks>
public static class LakeFilling
{
    /// <summary>B regions of fewer pixels than this (other than the largest) become material A.</summary>
    public const int SmallestLake = 30;

    /// <summary>
    /// Fills the lakes of every design in <paramref name="designs"/> (whole S x S designs one after another, 0 for
    /// material B, any other value material A) in place.
    /// </summary>
    /// <returns>The number of pixels that became material A.</returns>
    /// <exception cref="ArgumentException">The values are not whole <paramref name="size"/> x <paramref name="size"/> designs.</exception>
    public static int Fill<T>(Span<T> designs, int size) where T : unmanaged, INumberBase<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        int pixels = size * size;
        if (designs.Length % pixels != 0)
            throw new ArgumentException($"{designs.Length} values are not whole {size}x{size} designs ({pixels} values each).", nameof(designs));
        var runs = Runs.For(size);
        int changed = 0;
        for (int start = 0; start < designs.Length; start += pixels) changed += runs.FillLakes(designs.Slice(start, pixels));
        return changed;
    }

    /// <summary>
    /// Horizontal runs of B pixels joined into regions by union-find: a run per row segment instead of a node per pixel
    /// keeps this a small fraction of the decoder's time at scoring batch sizes.
    /// </summary>
    private sealed class Runs
    {
        [ThreadStatic] private static Runs? _cached;

        private readonly int _size;
        private readonly int[] _row, _start, _end, _parent, _area, _rowFirst;

        private Runs(int size)
        {
            _size = size;
            int most = size * ((size + 1) / 2); // B runs are separated by A pixels: at most ceil(S/2) per row
            (_row, _start, _end, _parent, _area) = (new int[most], new int[most], new int[most], new int[most], new int[most]);
            _rowFirst = new int[size + 1];
        }

        public static Runs For(int size) => _cached is { } cached && cached._size == size ? cached : _cached = new Runs(size);

        public int FillLakes<T>(Span<T> design) where T : unmanaged, INumberBase<T>
        {
            int count = Collect(design);
            if (count == 0) return 0;
            JoinRows(count);
            Array.Clear(_area, 0, count);
            for (int k = 0; k < count; k++) _area[Find(k)] += _end[k] - _start[k];
            int largest = 0;
            for (int k = 1; k < count; k++)
            {
                if (_parent[k] == k && _area[k] > _area[largest]) largest = k; // ties: the first in raster order
            }
            int changed = 0;
            for (int k = 0; k < count; k++)
            {
                int root = Find(k);
                if (root == largest || _area[root] >= SmallestLake) continue;
                design.Slice(_row[k] * _size + _start[k], _end[k] - _start[k]).Fill(T.One);
                changed += _end[k] - _start[k];
            }
            return changed;
        }

        // The B runs of every row, each its own region; a row's runs through both cell edges are one region.
        private int Collect<T>(Span<T> design) where T : unmanaged, INumberBase<T>
        {
            int count = 0;
            for (int row = 0; row < _size; row++)
            {
                _rowFirst[row] = count;
                var line = design.Slice(row * _size, _size);
                int c = 0;
                while (c < _size)
                {
                    // Vectorized searches: the next B pixel, then the next A pixel after it.
                    int toB = line[c..].IndexOf(T.Zero);
                    if (toB < 0) break;
                    int begin = c + toB, toA = line[begin..].IndexOfAnyExcept(T.Zero);
                    c = toA < 0 ? _size : begin + toA;
                    (_row[count], _start[count], _end[count], _parent[count]) = (row, begin, c, count);
                    count++;
                }
                int first = _rowFirst[row], last = count - 1;
                if (last > first && _start[first] == 0 && _end[last] == _size) Union(first, last);
            }
            _rowFirst[_size] = count;
            return count;
        }

        // Runs of neighbouring rows (the last row's neighbour is the first) that share a column are one region.
        private void JoinRows(int count)
        {
            for (int row = 0; row < _size; row++)
            {
                int next = (row + 1) % _size;
                int i = _rowFirst[row], iEnd = _rowFirst[row + 1], j = _rowFirst[next], jEnd = _rowFirst[next + 1];
                while (i < iEnd && j < jEnd)
                {
                    if (_start[i] < _end[j] && _start[j] < _end[i]) Union(i, j);
                    if (_end[i] < _end[j]) i++;
                    else j++;
                }
            }
        }

        private int Find(int k) => DisjointSets.Find(_parent, k);

        private void Union(int a, int b) => DisjointSets.Union(_parent, a, b);
    }
}
