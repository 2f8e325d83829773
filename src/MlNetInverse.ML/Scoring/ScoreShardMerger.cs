using System.Text.Json.Nodes;
using MlNetInverse.ML.Internals;
using MlNetInverse.Physics.Datasets;
using Parquet;

namespace MlNetInverse.ML.Scoring;

/// <summary>
/// Joins the outputs of <c>score --shard I/N</c> (shards of whole blocks of one input file) into the file a single
/// run writes: same row groups, same rows, same metadata. Checks first and writes nothing when a file is no score
/// output, comes from another run (model, input, seed, batch, encoding...), or a shard is missing or duplicated.
/// </summary>
public static class ScoreShardMerger
{
    // Settings that differ between the shards of one run; every other key must be equal.
    private static readonly string[] PerShard = ["first_row", "rows", "shard"];

    /// <summary>True when <paramref name="path"/> is a Parquet file written by <c>score</c> (it has the score metadata).</summary>
    public static bool IsScoreFile(string path) => ReadSettings(path) is not null;

    /// <summary>Merges <paramref name="shardFiles"/> (any order) into <paramref name="outputPath"/> through a temp file and a rename.</summary>
    /// <exception cref="InvalidDataException">A file is not a score shard of the same run, or the shards do not cover the input exactly once.</exception>
    public static ScoreMergeSummary Merge(IReadOnlyList<string> shardFiles, string outputPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shardFiles);
        if (shardFiles.Count == 0) throw new ArgumentException("Give at least one shard file.", nameof(shardFiles));
        var shards = shardFiles.Select(file => (File: file, Settings: ReadSettings(file)
            ?? throw new InvalidDataException($"'{file}' is not an output of 'mlnet-inverse score' (no '{ScoreFile.MetadataKey}' metadata)."))).ToArray();

        var (firstFile, reference) = shards[0];
        foreach (var (file, settings) in shards.Skip(1))
            foreach (var (key, value) in reference)
                if (!PerShard.Contains(key) && !JsonNode.DeepEquals(value, settings[key]))
                    throw new InvalidDataException($"'{file}' comes from another score run: {key} is {settings[key]?.ToJsonString() ?? "missing"}, not {value?.ToJsonString() ?? "missing"} as in '{firstFile}'.");

        var parsed = shards.Select(s => (s.File, Shard: ShardOf(s.File, s.Settings), First: (long)s.Settings["first_row"]!, Rows: (long)s.Settings["rows"]!))
            .OrderBy(s => s.First).ToArray();
        int count = parsed[0].Shard.Count;
        if (parsed.FirstOrDefault(s => s.Shard.Count != count) is { File: not null } other)
            throw new InvalidDataException($"'{other.File}' is shard {other.Shard} but '{parsed[0].File}' is shard {parsed[0].Shard}: shards of different splits.");
        if (parsed.GroupBy(s => s.Shard.Index).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InvalidDataException($"shard {twice.Key}/{count} is given twice: {string.Join(", ", twice.Select(s => $"'{s.File}'"))}.");
        var missing = Enumerable.Range(1, count).Except(parsed.Select(s => s.Shard.Index)).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException($"shard(s) {string.Join(", ", missing.Select(i => $"{i}/{count}"))} missing; every shard 1..{count} is needed.");
        long next = 0;
        foreach (var s in parsed)
        {
            if (s.First != next) throw new InvalidDataException($"'{s.File}' starts at target row {s.First}, but the shards before it end at row {next}.");
            next += s.Rows;
        }

        var merged = reference.DeepClone().AsObject();
        merged["first_row"] = 0L;
        merged["rows"] = next;
        merged["shard"] = null;
        var encoding = (string?)reference["image_encoding"] == "float" ? ScoreImageEncoding.Float : ScoreImageEncoding.Packed;
        bool withAbsorption = (bool?)reference["predicted_absorption"] ?? true;
        var files = parsed.Select(s => s.File).ToArray();
        ScoreFile.Merge(files, outputPath, encoding, withAbsorption, merged.ToJsonString(), cancellationToken);
        return new ScoreMergeSummary(Path.GetFullPath(outputPath), files.Length, next, ScoreFile.RowCount(outputPath));
    }

    private static DatasetShard ShardOf(string file, JsonObject settings) =>
        (string?)settings["shard"] is { } text
            ? DatasetShard.Parse(text)
            : throw new InvalidDataException($"'{file}' is a whole (unsharded) score run, not a shard; there is nothing to merge it with.");

    /// <summary>The score settings stored in <paramref name="path"/>, or null when it is not a score output.</summary>
    internal static JsonObject? ReadSettings(string path)
    {
        try
        {
            return SyncOverAsync.Run(async () =>
            {
                await using var stream = File.OpenRead(path);
                await using var reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true);
                return reader.CustomMetadata.TryGetValue(ScoreFile.MetadataKey, out var json) ? JsonNode.Parse(json) as JsonObject : null;
            });
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
