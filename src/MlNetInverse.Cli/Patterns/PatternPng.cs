using System.Runtime.InteropServices;
using MlNetInverse.Cli.Reports;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Storage;
using SkiaSharp;

namespace MlNetInverse.Cli.Patterns;

/// <summary>
/// Reads and writes microstructures as PNG images. Mapping: image row r (top = 0) is x = r and image column c
/// (left = 0) is y = c, so the image looks exactly like the text format in an editor (line = x, character = y).
/// A pixel is material A when its gray level is above 127 (gray = (299 R + 587 G + 114 B) / 1000, alpha ignored).
/// </summary>
internal static class PatternPng
{
    /// <summary>Gray levels above this are material A.</summary>
    public const int Threshold = 127;

    /// <summary>Loads a PNG as a binary map; the edge length is the image size.</summary>
    /// <exception cref="FormatException">The file is not a decodable PNG, or it is not square; the message names the file.</exception>
    public static Microstructure Load(string path)
    {
        using var codec = SKCodec.Create(path)
            ?? throw new FormatException($"pattern file '{path}' is not a readable PNG image.");
        if (codec.EncodedFormat != SKEncodedImageFormat.Png)
            throw new FormatException($"pattern file '{path}' is a {codec.EncodedFormat} image; only PNG is supported.");
        int height = codec.Info.Height, width = codec.Info.Width;
        if (width != height)
            throw new FormatException($"pattern file '{path}' is {width}x{height} pixels; a pattern must be square ({Microstructure.DefaultSize}x{Microstructure.DefaultSize}).");

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
            throw new FormatException($"pattern file '{path}' could not be decoded ({result}).");

        var pixels = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes;
        var isMaterialA = new bool[width * height];
        for (int row = 0; row < height; row++)
        {
            for (int column = 0; column < width; column++)
            {
                int offset = row * rowBytes + column * 4;
                int gray = (299 * pixels[offset] + 587 * pixels[offset + 1] + 114 * pixels[offset + 2] + 500) / 1000;
                isMaterialA[row * width + column] = gray > Threshold;
            }
        }
        return Microstructure.FromBinary(isMaterialA, width);
    }

    /// <summary>
    /// Writes a map as an 8-bit gray PNG (material A white, B black; fractional pixels as gray levels), through a temp
    /// file in the same folder so a crash never leaves a half-written image.
    /// </summary>
    public static void Save(Microstructure pattern, string path)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        int size = pattern.Size;
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Gray8, SKAlphaType.Opaque));
        int rowBytes = bitmap.RowBytes;
        var gray = new byte[rowBytes * size];
        for (int x = 0; x < size; x++)
            for (int y = 0; y < size; y++)
                gray[x * rowBytes + y] = (byte)Math.Round(pattern[x, y] * 255f);
        Marshal.Copy(gray, 0, bitmap.GetPixels(), gray.Length);

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode '{path}' as PNG.");
        AtomicFile.Write(path, data.SaveTo);
    }
}
