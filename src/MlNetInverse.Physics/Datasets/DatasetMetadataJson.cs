using System.Text.Json;
using System.Text.Json.Nodes;
using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Physics.Datasets;

/// <summary>JSON of <see cref="DatasetGenerationInfo"/> (file metadata and parts manifest), written with a fixed key order.</summary>
internal static class DatasetMetadataJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject ToNode(DatasetGenerationInfo info) => new()
    {
        ["format_version"] = info.FormatVersion,
        ["seed"] = info.Seed,
        ["count"] = info.Count,
        ["size"] = info.Size,
        ["row_group_size"] = info.RowGroupSize,
        ["ranges"] = new JsonObject
        {
            ["family"] = FamilyName(info.Ranges.Family),
            ["mean_wavenumber"] = Range(info.Ranges.MeanWavenumber),
            ["std_wavenumber"] = Range(info.Ranges.StdWavenumber),
            ["volume_fraction"] = Range(info.Ranges.VolumeFraction),
        },
    };

    public static string ToJson(DatasetGenerationInfo info) => ToNode(info).ToJsonString(Indented);

    /// <summary>Parses generation JSON; <see cref="FormatException"/> names the missing or invalid key.</summary>
    public static DatasetGenerationInfo Parse(string json)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException e) { throw new FormatException($"invalid JSON: {e.Message}", e); }
        return FromNode(root as JsonObject ?? throw new FormatException("expected a JSON object."));
    }

    public static DatasetGenerationInfo FromNode(JsonObject root)
    {
        int version = Get<int>(root, "format_version");
        if (version != DatasetGenerationInfo.CurrentFormatVersion)
            throw new FormatException($"format_version is {version}; this build reads version {DatasetGenerationInfo.CurrentFormatVersion}.");
        var ranges = root["ranges"] as JsonObject ?? throw new FormatException("'ranges' is missing or not an object.");
        var parsed = new GrfParameterRanges
        {
            Family = ParseFamily(Get<string>(ranges, "family")),
            MeanWavenumber = ParseRange(ranges, "mean_wavenumber"),
            StdWavenumber = ParseRange(ranges, "std_wavenumber"),
            VolumeFraction = ParseRange(ranges, "volume_fraction"),
        };
        return new DatasetGenerationInfo(Get<long>(root, "seed"), Get<int>(root, "count"), Get<int>(root, "size"), Get<int>(root, "row_group_size"), parsed)
        {
            FormatVersion = version,
        };
    }

    /// <summary>JSON of a shard as stored in a shard file: <c>{"index": 3, "count": 4}</c> (1-based).</summary>
    public static string ShardToJson(DatasetShard shard) =>
        new JsonObject { ["index"] = shard.Index, ["count"] = shard.Count }.ToJsonString();

    /// <summary>Parses shard JSON; <see cref="FormatException"/> names the missing or invalid key.</summary>
    public static DatasetShard ParseShard(string json)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException e) { throw new FormatException($"invalid JSON: {e.Message}", e); }
        var node = root as JsonObject ?? throw new FormatException("expected a JSON object.");
        int index = Get<int>(node, "index"), count = Get<int>(node, "count");
        try { return new DatasetShard(index, count); }
        catch (ArgumentOutOfRangeException e) { throw new FormatException(e.Message, e); }
    }

    /// <summary>The family as written in files: the enum name in lower case (ring, gaussian, uniform).</summary>
    public static string FamilyName(SpectralDensityFamily family) => family.ToString().ToLowerInvariant();

    /// <summary>Parses a family name case-insensitively; numbers are refused.</summary>
    public static SpectralDensityFamily ParseFamily(string text)
    {
        foreach (var family in Enum.GetValues<SpectralDensityFamily>())
            if (string.Equals(FamilyName(family), text, StringComparison.OrdinalIgnoreCase)) return family;
        throw new FormatException($"SDF family '{text}' is unknown; expected one of {string.Join(", ", Enum.GetValues<SpectralDensityFamily>().Select(FamilyName))}.");
    }

    private static JsonObject Range(ParameterRange range) => new() { ["min"] = range.Min, ["max"] = range.Max };

    private static ParameterRange ParseRange(JsonObject ranges, string key)
    {
        var node = ranges[key] as JsonObject ?? throw new FormatException($"'ranges.{key}' is missing or not an object.");
        return new ParameterRange(Get<double>(node, "min", $"ranges.{key}."), Get<double>(node, "max", $"ranges.{key}."));
    }

    private static T Get<T>(JsonObject node, string key, string prefix = "")
    {
        var value = node[key] ?? throw new FormatException($"'{prefix}{key}' is missing.");
        try { return value.GetValue<T>(); }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new FormatException($"'{prefix}{key}' is {value.ToJsonString()}; expected a {typeof(T).Name}.", e);
        }
    }
}
