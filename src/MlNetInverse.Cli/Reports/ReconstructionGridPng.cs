using MlNetInverse.Physics.Storage;
using SkiaSharp;

namespace MlNetInverse.Cli.Reports;

/// <summary>
/// Draws held-out originals and their VQ-VAE reconstructions side by side: one column per image; the top row holds
/// the originals, the middle row the reconstructions (sigmoid output as gray levels) and the bottom row the
/// reconstructions binarized at 0.5 (what would be fabricated). Material A is white, like the CLI's pattern PNGs; image
/// row = x, column = y. Written to a temp file in the same folder, then renamed.
/// </summary>
internal static class ReconstructionGridPng
{
    /// <summary>Screen pixels per map pixel.</summary>
    public const int Scale = 2;

    /// <summary>Gap between tiles (screen pixels).</summary>
    public const int Gap = 4;

    /// <summary>Rows of tiles: originals, reconstructions, binarized reconstructions.</summary>
    public const int TileRows = 3;

    /// <summary>
    /// Writes the grid for <paramref name="originals"/> and <paramref name="reconstructions"/> (same count, each
    /// <paramref name="size"/>² values in [0, 1], x-major).
    /// </summary>
    /// <exception cref="ArgumentException">No images, different counts, or a map of another size.</exception>
    public static void Write(string path, IReadOnlyList<float[]> originals, IReadOnlyList<float[]> reconstructions, int size)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (originals.Count == 0 || originals.Count != reconstructions.Count)
            throw new ArgumentException($"The grid needs as many reconstructions as originals (at least 1); got {originals.Count} and {reconstructions.Count}.");
        if (originals.Concat(reconstructions).Any(image => image.Length != size * size))
            throw new ArgumentException($"Every image of the grid must hold {size}x{size} pixels.");

        int tile = size * Scale, columns = originals.Count;
        int width = columns * tile + (columns + 1) * Gap, height = TileRows * tile + (TileRows + 1) * Gap;
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        var pixels = new byte[bitmap.RowBytes * height];
        Array.Fill(pixels, (byte)128); // mid-gray gaps frame both black and white tiles
        for (int c = 0; c < columns; c++)
        {
            DrawTile(pixels, bitmap.RowBytes, originals[c], size, c, 0, binarize: false);
            DrawTile(pixels, bitmap.RowBytes, reconstructions[c], size, c, 1, binarize: false);
            DrawTile(pixels, bitmap.RowBytes, reconstructions[c], size, c, 2, binarize: true);
        }
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, data.SaveTo);
    }

    /// <summary>Screen position of tile (<paramref name="column"/>, <paramref name="row"/>)'s top-left corner.</summary>
    public static (int Left, int Top) TileOrigin(int column, int row, int size) =>
        (Gap + column * (size * Scale + Gap), Gap + row * (size * Scale + Gap));

    private static void DrawTile(byte[] pixels, int rowBytes, float[] image, int size, int column, int row, bool binarize)
    {
        var (left, top) = TileOrigin(column, row, size);
        for (int x = 0; x < size; x++)
            for (int y = 0; y < size; y++)
            {
                float value = image[x * size + y];
                byte gray = binarize ? (value > 0.5f ? (byte)255 : (byte)0) : (byte)Math.Round(Math.Clamp(value, 0f, 1f) * 255);
                for (int dy = 0; dy < Scale; dy++)
                    for (int dx = 0; dx < Scale; dx++)
                        pixels[(top + x * Scale + dy) * rowBytes + left + y * Scale + dx] = gray;
            }
    }
}
