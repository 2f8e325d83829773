using System.Globalization;
using MlNetInverse.Physics.Storage;
using SkiaSharp;

namespace MlNetInverse.Cli.Reports;

/// <summary>
/// Draws REP box plots as a PNG: one group per target along x, one box per method in each group (same colour per
/// method, legend on top). Box: quartiles with the median line; whiskers: min and max. Log-scaled y axis (REP %),
/// since the methods differ by orders of magnitude; values below the axis floor are drawn at the floor. Written to a
/// temp file in the same folder, then renamed.
/// </summary>
internal static class RepBoxPlotPng
{
    private static readonly SKColor[] Palette =
    [
        new(40, 100, 180), new(0, 150, 130), new(220, 120, 30), new(150, 80, 170), new(200, 60, 60), new(110, 110, 110), new(160, 140, 40),
    ];

    /// <summary>Writes the plot; <paramref name="reps"/>[method][target] holds that cell's REP values (%).</summary>
    /// <exception cref="ArgumentException">Shapes that do not match, or no values at all.</exception>
    public static void Write(string path, IReadOnlyList<string> methods, IReadOnlyList<double> targets, IReadOnlyList<IReadOnlyList<double[]>> reps, string title)
    {
        if (methods.Count == 0 || targets.Count == 0 || reps.Count != methods.Count || reps.Any(r => r.Count != targets.Count))
            throw new ArgumentException("The box plot needs one REP list per method and target.", nameof(reps));
        var all = reps.SelectMany(r => r).SelectMany(v => v).Where(double.IsFinite).ToArray();
        if (all.Length == 0) throw new ArgumentException("The box plot needs at least one REP value.", nameof(reps));
        double floor = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(1e-3, all.Where(v => v > 0).DefaultIfEmpty(1e-3).Min()))));
        double ceiling = Math.Pow(10, Math.Ceiling(Math.Log10(Math.Max(floor * 10, all.Max()))));

        const int left = 80, right = 20, top = 80, bottom = 60, height = 560;
        int groupWidth = Math.Max(160, methods.Count * 28 + 30);
        // Wide enough for the legend (4 methods per line) and the title whatever the number of targets.
        int width = Math.Max(left + right + targets.Count * groupWidth, left + right + 4 * 220);
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var axis = new SKPaint { Color = SKColors.Black, StrokeWidth = 1.5f, IsAntialias = true };
        using var grid = new SKPaint { Color = new SKColor(225, 225, 225), StrokeWidth = 1f };
        using var font = new SKFont(SKTypeface.Default, 14);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        float plotH = height - top - bottom;
        float Y(double v) => top + plotH * (float)(1 - (Math.Log10(Math.Clamp(v, floor, ceiling)) - Math.Log10(floor)) / (Math.Log10(ceiling) - Math.Log10(floor)));

        for (double decade = floor; decade <= ceiling * 1.0001; decade *= 10)
        {
            canvas.DrawLine(left, Y(decade), width - right, Y(decade), grid);
            canvas.DrawText(decade.ToString("0.###", CultureInfo.InvariantCulture) + "%", 6, Y(decade) + 5, font, text);
        }
        canvas.DrawLine(left, top, left, top + plotH, axis);
        canvas.DrawLine(left, top + plotH, width - right, top + plotH, axis);
        for (int t = 0; t < targets.Count; t++)
        {
            float groupLeft = left + t * groupWidth + 15;
            canvas.DrawText(targets[t].ToString("0.00", CultureInfo.InvariantCulture), groupLeft + groupWidth / 2f - 30, top + plotH + 24, font, text);
            for (int m = 0; m < methods.Count; m++)
            {
                var values = reps[m][t].Where(double.IsFinite).Order().ToArray();
                if (values.Length == 0) continue;
                float x = groupLeft + m * 28 + 4;
                DrawBox(canvas, values, x, 18, Y, Palette[m % Palette.Length]);
            }
        }
        for (int m = 0; m < methods.Count; m++)
        {
            float x = left + (m % 4) * 220, y = 42 + (m / 4) * 18;
            using var swatch = new SKPaint { Color = Palette[m % Palette.Length] };
            canvas.DrawRect(x, y - 11, 12, 12, swatch);
            canvas.DrawText(methods[m], x + 18, y, font, text);
        }
        canvas.DrawText(title, left, 22, font, text);
        canvas.DrawText("target absorption", left + (width - left) / 2f - 60, height - 14, font, text);

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode '{path}' as PNG.");
        AtomicFile.Write(path, data.SaveTo);
    }

    private static void DrawBox(SKCanvas canvas, double[] sorted, float x, float width, Func<double, float> y, SKColor color)
    {
        using var fill = new SKPaint { Color = color.WithAlpha(110), Style = SKPaintStyle.Fill };
        using var line = new SKPaint { Color = color, StrokeWidth = 1.5f, Style = SKPaintStyle.Stroke, IsAntialias = true };
        float q1 = y(Quantile(sorted, 0.25)), q3 = y(Quantile(sorted, 0.75)), median = y(Quantile(sorted, 0.5));
        float mid = x + width / 2;
        canvas.DrawLine(mid, y(sorted[0]), mid, q1, line);
        canvas.DrawLine(mid, q3, mid, y(sorted[^1]), line);
        canvas.DrawLine(x + 4, y(sorted[0]), x + width - 4, y(sorted[0]), line);
        canvas.DrawLine(x + 4, y(sorted[^1]), x + width - 4, y(sorted[^1]), line);
        var box = new SKRect(x, Math.Min(q1, q3), x + width, Math.Max(q1, q3) + 1);
        canvas.DrawRect(box, fill);
        canvas.DrawRect(box, line);
        using var medianLine = new SKPaint { Color = SKColors.Black, StrokeWidth = 2f };
        canvas.DrawLine(x, median, x + width, median, medianLine);
    }

    /// <summary>Linear-interpolated quantile of sorted values.</summary>
    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}
