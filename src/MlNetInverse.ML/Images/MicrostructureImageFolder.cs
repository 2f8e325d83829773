using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML.Data;

namespace MlNetInverse.ML.Images;

/// <summary>Lists a folder of PNG microstructures (with optional absorption labels) as an image data view.</summary>
internal static class MicrostructureImageFolder
{
    private sealed class LabelledImage
    {
        public string ImagePath { get; set; } = "";

        public float Absorption { get; set; }
    }

    private sealed class Image
    {
        public string ImagePath { get; set; } = "";
    }

    public static IDataView Load(MLContext mlContext, MicrostructureImageFolderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Folder);
        var folder = Path.GetFullPath(options.Folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Image folder '{options.Folder}' does not exist.");
        var files = Directory.EnumerateFiles(folder, "*.png", SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0) throw new InvalidDataException($"Image folder '{options.Folder}' holds no *.png files.");

        IDataView paths;
        if (options.AbsorptionFile == null)
        {
            paths = mlContext.Data.LoadFromEnumerable(files.Select(f => new Image { ImagePath = f }).ToArray());
        }
        else
        {
            var labels = ReadLabels(options.AbsorptionFile);
            var unlabelled = files.FirstOrDefault(f => !labels.ContainsKey(Path.GetFileName(f)));
            if (unlabelled != null)
                throw new InvalidDataException($"Absorption file '{options.AbsorptionFile}' has no label for '{Path.GetFileName(unlabelled)}'.");
            var names = files.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
            var stray = labels.Keys.FirstOrDefault(name => !names.Contains(name));
            if (stray != null)
                throw new InvalidDataException($"Absorption file '{options.AbsorptionFile}' labels '{stray}', which is not a PNG in '{options.Folder}'.");
            paths = mlContext.Data.LoadFromEnumerable(files
                .Select(f => new LabelledImage { ImagePath = f, Absorption = labels[Path.GetFileName(f)] })
                .ToArray());
        }
        var reading = MicrostructureImageReading.Create(mlContext, new MicrostructureImageOptions { Size = options.Size });
        return reading.Fit(paths).Transform(paths);
    }

    /// <summary>"file,absorption" lines after a header; errors name the file and line.</summary>
    private static Dictionary<string, float> ReadLabels(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Absorption file '{path}' does not exist.", path);
        var labels = new Dictionary<string, float>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(path);
        for (int i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var parts = lines[i].Split(',');
            if (parts.Length != 2 || !float.TryParse(parts[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float absorption))
                throw new InvalidDataException($"Absorption file '{path}' line {i + 1} is '{lines[i]}'; expected 'file,absorption' with a number.");
            if (!float.IsFinite(absorption) || absorption < 0 || absorption > 1)
                throw new InvalidDataException($"Absorption file '{path}' line {i + 1}: absorption {absorption} is outside [0, 1].");
            if (!labels.TryAdd(parts[0].Trim(), absorption))
                throw new InvalidDataException($"Absorption file '{path}' line {i + 1} labels '{parts[0].Trim()}' a second time.");
        }
        return labels;
    }
}
