using System.Globalization;
using MlNetInverse.Physics.Storage;
using SkiaSharp;

namespace MlNetInverse.Cli.Reports;

/// <summary>Draws a histogram as a PNG (written to a temp file, then renamed).</summary>
internal static class HistogramPng
{
    /// <summary>Bins <paramref name="values"/> into <paramref name="bins"/> equal bins over [min, max] and draws them.</summary>
    public static void Write(string path, IReadOnlyList<double> values, double min, double max, int bins, string title, string xLabel,
        IReadOnlyList<double>? markers = null)
    {
        const int width = 900, height = 520, left = 70, right = 20, top = 50, bottom = 60;
        var counts = new int[bins];
        foreach (var v in values)
        {
            int b = (int)Math.Floor((v - min) / (max - min) * bins);
            if (b >= 0 && b < bins) counts[b]++;
            else if (v == max) counts[bins - 1]++;
        }
        int peak = Math.Max(1, counts.Max());
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var bar = new SKPaint { Color = new SKColor(70, 110, 170), IsAntialias = false };
        using var axis = new SKPaint { Color = SKColors.Black, StrokeWidth = 1.5f, IsAntialias = true };
        using var marker = new SKPaint { Color = new SKColor(200, 60, 60), StrokeWidth = 1.5f, PathEffect = SKPathEffect.CreateDash(new[] { 6f, 4f }, 0) };
        using var font = new SKFont(SKTypeface.Default, 15);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        float plotW = width - left - right, plotH = height - top - bottom;
        float X(double v) => left + (float)((v - min) / (max - min)) * plotW;
        for (int b = 0; b < bins; b++)
        {
            float h = plotH * counts[b] / peak;
            canvas.DrawRect(X(min + (max - min) * b / bins) + 1, top + plotH - h, plotW / bins - 2, h, bar);
        }
        canvas.DrawLine(left, top + plotH, left + plotW, top + plotH, axis);
        canvas.DrawLine(left, top, left, top + plotH, axis);
        foreach (var m in markers ?? Array.Empty<double>()) canvas.DrawLine(X(m), top, X(m), top + plotH, marker);
        double step = NiceStep((max - min) / 12);
        for (double v = Math.Ceiling(min / step) * step; v <= max + step * 1e-9; v += step)
        {
            canvas.DrawLine(X(v), top + plotH, X(v), top + plotH + 6, axis);
            canvas.DrawText(v.ToString("0.##", CultureInfo.InvariantCulture), X(v) - 12, top + plotH + 24, font, text);
        }
        for (int i = 0; i <= 4; i++)
        {
            int c = peak * i / 4;
            float y = top + plotH - plotH * c / peak;
            canvas.DrawLine(left - 6, y, left, y, axis);
            canvas.DrawText(c.ToString(CultureInfo.InvariantCulture), 8, y + 5, font, text);
        }
        canvas.DrawText(title, left, 30, font, text);
        canvas.DrawText(xLabel, left + plotW / 2 - 60, height - 14, font, text);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, data.SaveTo);
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="rough"/>.</summary>
    private static double NiceStep(double rough)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        foreach (var m in new[] { 1.0, 2.0, 5.0, 10.0 })
            if (m * power >= rough) return m * power;
        return 10 * power;
    }
}
