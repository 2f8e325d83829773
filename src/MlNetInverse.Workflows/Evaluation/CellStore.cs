using System.Text.Json.Nodes;
using MlNetInverse.Physics.Storage;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The finished cells of an evaluation, one JSON file per (method, target, seed) in OUT/cells/ (written atomically). A rerun, a run of
/// another shard, or the run that assembles the report reuses every cell stored under the same fingerprint, so an
/// interrupted evaluation resumes and shards of a cluster array can share one output folder.
/// </summary>
internal sealed class CellStore(string outFolder)
{
    /// <summary>The folder of the cell files.</summary>
    public string Folder { get; } = Path.Combine(outFolder, "cells");

    /// <summary>The file of one cell, e.g. cells/pca-mdn@0.550-seed7.json.</summary>
    public string PathOf(string method, double target, long seed) => Path.Combine(Folder, Text($"{method}@{target:0.000}-seed{seed}.json"));

    /// <summary>The stored cell, or null when there is none or it was made under another fingerprint.</summary>
    /// <exception cref="InvalidDataException">A cell file that cannot be read; the message names it.</exception>
    public CellResult? TryLoad(string method, double target, long seed, string fingerprint)
    {
        var path = PathOf(method, target, seed);
        if (!File.Exists(path)) return null;
        try
        {
            return CellResult.FromJson(JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException("empty"), fingerprint);
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException)
        {
            throw new InvalidDataException($"evaluation cell '{path}' cannot be read ({e.Message}); delete it to recompute the cell.", e);
        }
    }

    /// <summary>Stores <paramref name="cell"/>, the designs of <paramref name="seed"/>.</summary>
    public void Save(CellResult cell, long seed, string fingerprint)
    {
        Directory.CreateDirectory(Folder);
        AtomicFile.WriteAllText(PathOf(cell.Method, cell.Target, seed), cell.ToJson(fingerprint).ToJsonString());
    }
}
