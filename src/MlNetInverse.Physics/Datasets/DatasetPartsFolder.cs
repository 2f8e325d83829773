using System.Text.Json;
using System.Text.Json.Nodes;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.Physics.Datasets;

/// <summary>
/// The work folder of a resumable run, <c>&lt;out&gt;.parts/</c>: a manifest of the run's settings and one Parquet file
/// per id range (part-00000.parquet, ...), each written atomically, so an interruption loses at most the part being
/// computed. Parts of a run with other settings are never mixed in: opening refuses.
/// </summary>
internal sealed class DatasetPartsFolder
{
    public const string ManifestName = "manifest.json";
    public const string FolderSuffix = ".parts";

    private DatasetPartsFolder(string folder, DatasetGenerationInfo generation, OpticalStack stack)
    {
        Folder = folder;
        Generation = generation;
        Stack = stack;
    }

    public string Folder { get; }
    public DatasetGenerationInfo Generation { get; }
    public OpticalStack Stack { get; }

    public int PartCount => (Generation.Count + Generation.RowGroupSize - 1) / Generation.RowGroupSize;

    public static string FolderFor(string outputPath) => outputPath + FolderSuffix;

    /// <summary>First id and number of samples of part <paramref name="part"/>.</summary>
    public (long Start, int Length) Range(int part)
    {
        long start = (long)part * Generation.RowGroupSize;
        return (start, (int)Math.Min(Generation.RowGroupSize, Generation.Count - start));
    }

    public string PartPath(int part) => Path.Combine(Folder, $"part-{part:D5}.parquet");

    /// <summary>
    /// Creates the folder and its manifest, or checks that an existing one belongs to the same settings; with
    /// <paramref name="startOver"/>, a folder of other settings is emptied instead of refused.
    /// </summary>
    /// <exception cref="InvalidOperationException">The folder holds a run with other settings, or an unreadable manifest.</exception>
    public static async Task<DatasetPartsFolder> OpenAsync(string outputPath, DatasetGenerationInfo generation, OpticalStack stack, bool startOver, CancellationToken cancellationToken)
    {
        var parts = new DatasetPartsFolder(FolderFor(outputPath), generation, stack);
        var manifest = ManifestNode(generation, stack);
        string manifestPath = Path.Combine(parts.Folder, ManifestName);
        if (startOver && Directory.Exists(parts.Folder) && !BelongsTo(outputPath, generation, stack)) parts.Delete();
        Directory.CreateDirectory(parts.Folder);
        foreach (var leftover in Directory.EnumerateFiles(parts.Folder, "*" + AtomicFile.TempSuffix)) File.Delete(leftover);
        bool hasParts = Directory.EnumerateFiles(parts.Folder, "part-*.parquet").Any();
        if (hasParts && File.Exists(manifestPath))
        {
            parts.CheckManifest(manifestPath, manifest, await File.ReadAllTextAsync(manifestPath, cancellationToken));
            return parts;
        }
        if (hasParts)
            throw new InvalidOperationException($"The parts folder '{parts.Folder}' holds parts but no {ManifestName}, so their settings are unknown; delete the folder to start over.");
        // No finished part: nothing can be mixed, so this run's settings simply take the folder over.
        await AtomicFile.WriteAllTextAsync(manifestPath, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        return parts;
    }

    /// <summary>True when the part file exists and holds the part's row count (parts are written whole, so that suffices).</summary>
    public async Task<bool> IsCompleteAsync(int part, CancellationToken cancellationToken)
    {
        string path = PartPath(part);
        if (!File.Exists(path)) return false;
        try
        {
            await using var reader = await MicrostructureDatasetFile.OpenAsync(path, cancellationToken);
            if (reader.RowGroupCount != 1 || reader.RowCount != Range(part).Length) return false;
            await reader.VerifyAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false; // damaged from outside the run (unreadable, or rows unlike their checksum): it is recomputed.
        }
    }

    public Task WritePartAsync(int part, IReadOnlyList<MicrostructureRecord> records, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(PartPath(part), async stream =>
        {
            await using var writer = await MicrostructureDatasetWriter.CreateAsync(stream, Stack, Generation, cancellationToken);
            await writer.WriteRowGroupAsync(records, cancellationToken);
        }, cancellationToken);

    /// <summary>True when <paramref name="outputPath"/>'s parts folder exists with a manifest of these exact settings.</summary>
    public static bool BelongsTo(string outputPath, DatasetGenerationInfo generation, OpticalStack stack)
    {
        string manifestPath = Path.Combine(FolderFor(outputPath), ManifestName);
        if (!File.Exists(manifestPath)) return false;
        try { return JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(manifestPath)), ManifestNode(generation, stack)); }
        catch (JsonException) { return false; }
    }

    public void Delete() => Directory.Delete(Folder, recursive: true);

    private static JsonObject ManifestNode(DatasetGenerationInfo generation, OpticalStack stack) => new()
    {
        ["generation"] = DatasetMetadataJson.ToNode(generation),
        ["stack"] = JsonNode.Parse(OpticalStackFile.ToJson(stack)),
    };

    private void CheckManifest(string manifestPath, JsonObject expected, string text)
    {
        JsonObject stored;
        DatasetGenerationInfo storedGeneration;
        try
        {
            stored = JsonNode.Parse(text) as JsonObject ?? throw new FormatException("expected a JSON object.");
            storedGeneration = DatasetMetadataJson.FromNode(stored["generation"] as JsonObject ?? throw new FormatException("'generation' is missing."));
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new InvalidOperationException($"The parts manifest '{manifestPath}' is unreadable ({e.Message}); delete '{Folder}' to start over.", e);
        }
        var differences = storedGeneration.DifferencesFrom(Generation, "there", "now");
        if (!JsonNode.DeepEquals(stored["stack"], expected["stack"])) differences.Add("the optical stack (materials, layers, wavelengths or solver settings) differs");
        if (differences.Count > 0)
            throw new InvalidOperationException(
                $"The parts folder '{Folder}' holds an interrupted run with other settings ({string.Join("; ", differences)}). " +
                $"Re-run with the same settings to resume it, or delete '{Folder}' to start over.");
    }
}
