using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MlNetInverse.Physics.Morphology;

/// <summary>
/// Removes speckle from binary designs (0 for material B, 1 for material A) in place: first every A pixel whose four
/// periodic neighbours are all B becomes B, then every B pixel whose four neighbours are all A becomes A. Neither pass
/// can isolate another pixel: a flipped pixel then matches all four neighbours. The neighbours wrap across the cell
/// edge (the design is one tile of a periodic film), as in <see cref="IsolatedPixels"/>.
/// </summary>
public static class SpeckleRemoval
{
    /// <summary>
    /// Removes the isolated pixels of every design in <paramref name="designs"/> (whole S x S designs one after another,
    /// values 0 or 1 only).
    /// </summary>
    /// <exception cref="ArgumentException">The values are not whole <paramref name="size"/> x <paramref name="size"/> designs.</exception>
    public static void Remove(Span<byte> designs, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        int pixels = size * size;
        if (designs.Length % pixels != 0)
            throw new ArgumentException($"{designs.Length} values are not whole {size}x{size} designs ({pixels} values each).", nameof(designs));
        var padded = PaddedDesign.For(size);
        for (int start = 0; start < designs.Length; start += pixels)
        {
            var design = designs.Slice(start, pixels);
            padded.Pass(design, fillB: false);
            padded.Pass(design, fillB: true);
        }
    }

    /// <summary>
    /// The design with one periodic line around it, (S + 2) x (S + 2): every pixel's four neighbours are then plain
    /// offsets, so a row of sums is a few vector loads and adds.
    /// </summary>
    private sealed class PaddedDesign
    {
        [ThreadStatic] private static PaddedDesign? _cached;

        private readonly int _size, _width;
        private readonly byte[] _padded;

        private PaddedDesign(int size)
        {
            _size = size;
            _width = size + 2;
            _padded = new byte[_width * _width];
        }

        public static PaddedDesign For(int size) => _cached is { } cached && cached._size == size ? cached : _cached = new PaddedDesign(size);

        // fillB false: an A pixel without A neighbours becomes B; true: a B pixel with four A neighbours becomes A.
        public void Pass(Span<byte> design, bool fillB)
        {
            Pad(design);
            int s = _size, w = _width, width = Vector<byte>.Count;
            ref byte padded = ref MemoryMarshal.GetArrayDataReference(_padded);
            ref byte cells = ref MemoryMarshal.GetReference(design);
            var four = new Vector<byte>(4);
            for (int r = 0; r < s; r++)
            {
                nuint up = (nuint)(r * w + 1), down = (nuint)((r + 2) * w + 1), left = (nuint)((r + 1) * w), right = left + 2;
                nuint line = (nuint)(r * s);
                int c = 0;
                for (; c + width <= s; c += width)
                {
                    nuint at = (nuint)c;
                    var sum = Vector.LoadUnsafe(ref padded, up + at) + Vector.LoadUnsafe(ref padded, down + at)
                        + Vector.LoadUnsafe(ref padded, left + at) + Vector.LoadUnsafe(ref padded, right + at);
                    var a = Vector.LoadUnsafe(ref cells, line + at);
                    var kept = fillB ? a | (Vector.Equals(sum, four) & Vector<byte>.One) : Vector.AndNot(a, Vector.Equals(sum, Vector<byte>.Zero));
                    kept.StoreUnsafe(ref cells, line + at);
                }
                for (; c < s; c++)
                {
                    nuint at = (nuint)c;
                    int sum = Unsafe.Add(ref padded, up + at) + Unsafe.Add(ref padded, down + at) + Unsafe.Add(ref padded, left + at) + Unsafe.Add(ref padded, right + at);
                    ref byte a = ref Unsafe.Add(ref cells, line + at);
                    if (fillB ? sum == 4 : sum == 0) a = fillB ? (byte)1 : (byte)0;
                }
            }
        }

        private void Pad(ReadOnlySpan<byte> design)
        {
            int s = _size, w = _width;
            var padded = _padded.AsSpan();
            for (int r = 0; r < s; r++)
            {
                var source = design.Slice(r * s, s);
                var target = padded.Slice((r + 1) * w, w);
                source.CopyTo(target[1..]);
                target[0] = source[s - 1];
                target[s + 1] = source[0];
            }
            padded.Slice(s * w, w).CopyTo(padded[..w]);
            padded.Slice(w, w).CopyTo(padded[((s + 1) * w)..]);
        }
    }
}
