using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Workflows.Pipelines;

/// <summary>
/// The "dataset" section of a pipeline JSON (pipelines/dataset-*.json): how a labelled dataset is made. Relative paths
/// are resolved against the pipeline file's folder, so a pipeline runs the same from any working directory.
/// Unknown keys and wrong types are errors naming the key.
/// </summary>
internal sealed record DatasetPipeline(int Count, long Seed, string StackPath, int Threads, string OutputPath, GrfParameterRanges Ranges)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Loads the dataset section of <paramref name="path"/>.</summary>
    public static DatasetPipeline Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Pipeline file '{path}' does not exist.", path);
        PipelineDocument document;
        try
        {
            document = JsonSerializer.Deserialize<PipelineDocument>(File.ReadAllText(path), Json)
                ?? throw new FormatException("the file is empty");
        }
        catch (JsonException e)
        {
            throw new FormatException($"Pipeline file '{path}': invalid JSON at {e.Path ?? "$"}: {e.Message.Split(" Path:")[0]}", e);
        }
        var section = document.Dataset ?? throw new FormatException($"Pipeline file '{path}' has no 'dataset' section.");
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string Resolve(string? value, string key) => Path.GetFullPath(Path.Combine(folder,
            value ?? throw new FormatException($"Pipeline file '{path}': 'dataset.{key}' is required.")));
        var ranges = section.Grf?.ToRanges() ?? new GrfParameterRanges();
        ranges.Validate();
        return new DatasetPipeline(
            section.Count ?? throw new FormatException($"Pipeline file '{path}': 'dataset.count' is required."),
            section.Seed ?? 1,
            Resolve(section.Stack, "stack"),
            section.Threads ?? 1,
            Resolve(section.Out, "out"),
            ranges);
    }

    private sealed class PipelineDocument
    {
        public string? Name { get; set; }
        public string? Description { get; set; }
        public DatasetSection? Dataset { get; set; }
    }

    private sealed class DatasetSection
    {
        public int? Count { get; set; }
        public long? Seed { get; set; }
        public string? Stack { get; set; }
        public int? Threads { get; set; }
        public string? Out { get; set; }
        public GrfSection? Grf { get; set; }
    }

    private sealed class GrfSection
    {
        public string? Family { get; set; }
        public double[]? MeanWavenumber { get; set; }
        public double[]? StdWavenumber { get; set; }
        public double[]? VolumeFraction { get; set; }

        public GrfParameterRanges ToRanges()
        {
            var defaults = new GrfParameterRanges();
            return new GrfParameterRanges
            {
                Family = Family is null ? defaults.Family : Enum.TryParse<SpectralDensityFamily>(Family, ignoreCase: true, out var f) ? f
                    : throw new FormatException($"'dataset.grf.family' is '{Family}'; use ring, gaussian or uniform."),
                MeanWavenumber = Range(MeanWavenumber, "mean_wavenumber") ?? defaults.MeanWavenumber,
                StdWavenumber = Range(StdWavenumber, "std_wavenumber") ?? defaults.StdWavenumber,
                VolumeFraction = Range(VolumeFraction, "volume_fraction") ?? defaults.VolumeFraction,
            };
        }

        private static ParameterRange? Range(double[]? values, string key) => values switch
        {
            null => null,
            [var min, var max] => new ParameterRange(min, max),
            _ => throw new FormatException($"'dataset.grf.{key}' must be [min, max]."),
        };
    }
}
