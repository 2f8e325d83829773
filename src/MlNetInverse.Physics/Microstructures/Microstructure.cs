using System.Text;

namespace MlNetInverse.Physics.Microstructures;

/// <summary>
/// A square two-phase pixel map of one unit cell. Pixel (x, y) holds the fraction of material A in that pixel:
/// 1 = material A, 0 = material B, values in between (e.g. decoder output) mix the permittivities linearly.
/// Storage is row-major with x as the first index: <c>Pixels[x * Size + y]</c>, matching the text format where the
/// line number is x and the character is y.
/// </summary>
public sealed class Microstructure
{
    /// <summary>The default edge length in pixels (64).</summary>
    public const int DefaultSize = 64;

    private readonly float[] _pixels;

    private Microstructure(float[] pixels, int size)
    {
        _pixels = pixels;
        Size = size;
    }

    /// <summary>Edge length in pixels.</summary>
    public int Size { get; }

    /// <summary>Pixel values, row-major with x first.</summary>
    public ReadOnlySpan<float> Pixels => _pixels;

    /// <summary>Fraction of material A at pixel (x, y).</summary>
    public float this[int x, int y] => _pixels[x * Size + y];

    /// <summary>Mean pixel value: the area fraction of material A.</summary>
    public double VolumeFraction => VolumeFractionOf(_pixels);

    /// <summary>The mean of <paramref name="pixels"/> (one map's values), summed in float64: the area fraction of material A.</summary>
    public static double VolumeFractionOf(ReadOnlySpan<float> pixels)
    {
        double sum = 0;
        foreach (var p in pixels) sum += p;
        return sum / pixels.Length;
    }

    /// <summary>True when every pixel is exactly 0 or 1.</summary>
    public bool IsBinary => Array.TrueForAll(_pixels, p => p == 0f || p == 1f);

    /// <summary>Creates a map from pixel values in [0, 1] (copied), row-major with x first.</summary>
    /// <exception cref="ArgumentException">Wrong length, NaN or a value outside [0, 1].</exception>
    public static Microstructure FromPixels(ReadOnlySpan<float> pixels, int size = DefaultSize)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "Microstructure size must be positive.");
        if (pixels.Length != size * size)
            throw new ArgumentException($"A {size}x{size} microstructure needs {size * size} pixels, got {pixels.Length}.", nameof(pixels));
        var copy = pixels.ToArray();
        for (int i = 0; i < copy.Length; i++)
        {
            float p = copy[i];
            if (float.IsNaN(p) || p < 0f || p > 1f)
                throw new ArgumentException($"Pixel ({i / size}, {i % size}) is {p}; pixel values must lie in [0, 1].", nameof(pixels));
        }
        return new Microstructure(copy, size);
    }

    /// <summary>Creates a binary map from booleans (true = material A), row-major with x first.</summary>
    public static Microstructure FromBinary(ReadOnlySpan<bool> isMaterialA, int size = DefaultSize)
    {
        if (isMaterialA.Length != size * size)
            throw new ArgumentException($"A {size}x{size} microstructure needs {size * size} pixels, got {isMaterialA.Length}.", nameof(isMaterialA));
        var pixels = new float[isMaterialA.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = isMaterialA[i] ? 1f : 0f;
        return new Microstructure(pixels, size);
    }

    /// <summary>Threshold to a binary map, as a fabricated structure would be: pixel &gt; threshold becomes material A.</summary>
    public Microstructure Binarize(float threshold = 0.5f)
    {
        var pixels = new float[_pixels.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = _pixels[i] > threshold ? 1f : 0f;
        return new Microstructure(pixels, Size);
    }

    /// <summary>A copy of the pixel values.</summary>
    public float[] ToArray() => (float[])_pixels.Clone();

    /// <summary>Pixel values as doubles, row-major with x first (the layout the RCWA solver takes).</summary>
    public double[] ToDoubleArray() => Array.ConvertAll(_pixels, p => (double)p);

    /// <summary>Parses the text format: <c>Size</c> lines of <c>Size</c> characters '0' or '1'; line = x, character = y.</summary>
    /// <exception cref="FormatException">Wrong line count, wrong line length or a character other than 0/1; the message names the place.</exception>
    public static Microstructure ParseText(string text, string source = "pattern")
    {
        var lines = text.Replace("\r", string.Empty).Split('\n').Where(l => l.Length > 0).ToArray();
        int size = lines.Length;
        if (size == 0) throw new FormatException($"{source}: the pattern is empty.");
        var pixels = new float[size * size];
        for (int x = 0; x < size; x++)
        {
            var line = lines[x];
            if (line.Length != size)
                throw new FormatException($"{source}: line {x + 1} has {line.Length} characters; a {size}-line pattern needs {size} per line.");
            for (int y = 0; y < size; y++)
            {
                pixels[x * size + y] = line[y] switch
                {
                    '0' => 0f,
                    '1' => 1f,
                    var c => throw new FormatException($"{source}: line {x + 1}, column {y + 1} is '{c}'; only '0' and '1' are allowed."),
                };
            }
        }
        return new Microstructure(pixels, size);
    }

    /// <summary>Writes the text format (binarized at 0.5).</summary>
    public string ToText()
    {
        var sb = new StringBuilder(Size * (Size + 1));
        for (int x = 0; x < Size; x++)
        {
            for (int y = 0; y < Size; y++) sb.Append(this[x, y] > 0.5f ? '1' : '0');
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// Packs a binary map into Size*Size/8 bytes, pixel i = x*Size + y at bit (7 - i % 8) of byte i / 8
    /// (most significant bit first). Non-binary maps are binarized at 0.5.
    /// </summary>
    public byte[] ToPackedBits()
    {
        var bytes = new byte[(_pixels.Length + 7) / 8];
        for (int i = 0; i < _pixels.Length; i++)
            if (_pixels[i] > 0.5f) bytes[i >> 3] |= (byte)(0x80 >> (i & 7));
        return bytes;
    }

    /// <summary>Inverse of <see cref="ToPackedBits"/>.</summary>
    public static Microstructure FromPackedBits(ReadOnlySpan<byte> bits, int size = DefaultSize)
    {
        int count = size * size;
        if (bits.Length != (count + 7) / 8)
            throw new ArgumentException($"A {size}x{size} packed microstructure needs {(count + 7) / 8} bytes, got {bits.Length}.", nameof(bits));
        var pixels = new float[count];
        for (int i = 0; i < count; i++) pixels[i] = (bits[i >> 3] & (0x80 >> (i & 7))) != 0 ? 1f : 0f;
        return new Microstructure(pixels, size);
    }
}
