using MlNetInverse.Physics.Storage;
using SkiaSharp;

namespace MlNetInverse.Cli.Reports;

/// <summary>
/// Draws generated microstructures as a grid: one row of tiles per target (in the order given), one column per sample.
/// Material A is white, like the CLI's pattern PNGs; within a tile image row = x, column = y. Mid-gray gaps separate
/// the tiles. Written to a temp file in the same folder, then renamed.
/// </summary>
internal static class GenerationGridPng
{
    /// <summary>Screen pixels per map pixel.</summary>
    public const int Scale = 2;

    /// <summary>Gap between tiles (screen pixels).</summary>
    public const int Gap = 4;

    /// <summary>Writes the grid of <paramref name="rows"/> (per target, its images, each <paramref name="size"/>² values in [0, 1], x-major).</summary>
    /// <exception cref="ArgumentException">No images, or an image of another size.</exception>
    public static void Write(string path, IReadOnlyList<IReadOnlyList<float[]>> rows, int size)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        int columns = rows.Count == 0 ? 0 : rows.Max(r => r.Count);
        if (columns == 0) throw new ArgumentException("The grid needs at least one image.", nameof(rows));
        if (rows.SelectMany(r => r).Any(image => image.Length != size * size))
            throw new ArgumentException($"Every image of the grid must hold {size}x{size} pixels.", nameof(rows));

        int tile = size * Scale;
        int width = columns * tile + (columns + 1) * Gap, height = rows.Count * tile + (rows.Count + 1) * Gap;
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        var pixels = new byte[bitmap.RowBytes * height];
        Array.Fill(pixels, (byte)128);
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < rows[r].Count; c++)
                DrawTile(pixels, bitmap.RowBytes, rows[r][c], size, Gap + c * (tile + Gap), Gap + r * (tile + Gap));
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode '{path}' as PNG.");
        AtomicFile.Write(path, data.SaveTo);
    }

    private static void DrawTile(byte[] pixels, int rowBytes, float[] image, int size, int left, int top)
    {
        for (int x = 0; x < size; x++)
            for (int y = 0; y < size; y++)
            {
                byte gray = (byte)Math.Round(Math.Clamp(image[x * size + y], 0f, 1f) * 255);
                for (int dy = 0; dy < Scale; dy++)
                    for (int dx = 0; dx < Scale; dx++)
                        pixels[(top + x * Scale + dy) * rowBytes + left + y * Scale + dx] = gray;
            }
    }
}
