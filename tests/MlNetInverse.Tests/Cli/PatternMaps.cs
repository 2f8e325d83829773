using MlNetInverse.Physics.Microstructures;
using SkiaSharp;

namespace MlNetInverse.Tests.Cli;

/// <summary>Test patterns: seeded random maps and PNGs written directly with SkiaSharp (independent of the loader under test).</summary>
internal static class PatternMaps
{
    public static Microstructure Random(int seed, int size = Microstructure.DefaultSize)
    {
        var random = new Random(seed);
        var bits = new bool[size * size];
        for (int i = 0; i < bits.Length; i++) bits[i] = random.Next(2) == 1;
        return Microstructure.FromBinary(bits, size);
    }

    /// <summary>Writes an RGBA PNG whose pixel (row, column) has gray level <paramref name="grayAt"/>(row, column).</summary>
    public static void WritePng(string path, int width, int height, Func<int, int, byte> grayAt)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int row = 0; row < height; row++)
            for (int column = 0; column < width; column++)
            {
                byte g = grayAt(row, column);
                bitmap.SetPixel(column, row, new SKColor(g, g, g, 255));
            }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var stream = File.Create(path);
        data.SaveTo(stream);
    }

    /// <summary>Writes <paramref name="pattern"/> as a PNG: material A gray 200, material B gray 40 (not just 0/255, to exercise the threshold).</summary>
    public static void WritePng(string path, Microstructure pattern) =>
        WritePng(path, pattern.Size, pattern.Size, (row, column) => pattern[row, column] > 0.5f ? (byte)200 : (byte)40);
}
