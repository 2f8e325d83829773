using System.Text.Json.Nodes;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.Physics.Datasets;

/// <summary>
/// The <see cref="PartsFolder"/> of a resumable dataset run: one part per row group of ids, the manifest holds the
/// generation settings and the optical stack.
/// </summary>
internal sealed class DatasetPartsFolder
{
    private readonly PartsFolder _parts;

    private DatasetPartsFolder(PartsFolder parts, DatasetGenerationInfo generation, OpticalStack stack)
    {
        _parts = parts;
        Generation = generation;
        Stack = stack;
    }

    public string Folder => _parts.Folder;
    public DatasetGenerationInfo Generation { get; }
    public OpticalStack Stack { get; }

    public int PartCount => (Generation.Count + Generation.RowGroupSize - 1) / Generation.RowGroupSize;

    public static string FolderFor(string outputPath) => PartsFolder.FolderFor(outputPath);

    /// <summary>First id and number of samples of part <paramref name="part"/>.</summary>
    public (long Start, int Length) Range(int part)
    {
        long start = (long)part * Generation.RowGroupSize;
        return (start, (int)Math.Min(Generation.RowGroupSize, Generation.Count - start));
    }

    public string PartPath(int part) => _parts.PartPath(part);

    /// <summary>
    /// Creates the folder and its manifest, or checks that an existing one belongs to the same settings; with
    /// <paramref name="startOver"/>, a folder of other settings is emptied instead of refused.
    /// </summary>
    /// <exception cref="InvalidOperationException">The folder holds a run with other settings, or an unreadable manifest.</exception>
    public static Task<DatasetPartsFolder> OpenAsync(string outputPath, DatasetGenerationInfo generation, OpticalStack stack, bool startOver, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var manifest = ManifestNode(generation, stack);
        var parts = PartsFolder.Open(outputPath, manifest, startOver, "run", stored =>
        {
            var storedGeneration = DatasetMetadataJson.FromNode(stored["generation"] as JsonObject ?? throw new FormatException("'generation' is missing."));
            var differences = storedGeneration.DifferencesFrom(generation, "there", "now");
            if (!JsonNode.DeepEquals(stored["stack"], manifest["stack"])) differences.Add("the optical stack (materials, layers, wavelengths or solver settings) differs");
            return differences;
        });
        return Task.FromResult(new DatasetPartsFolder(parts, generation, stack));
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
    public static bool BelongsTo(string outputPath, DatasetGenerationInfo generation, OpticalStack stack) =>
        PartsFolder.HoldsManifest(outputPath, ManifestNode(generation, stack));

    public void Delete() => _parts.Delete();

    private static JsonObject ManifestNode(DatasetGenerationInfo generation, OpticalStack stack) => new()
    {
        ["generation"] = DatasetMetadataJson.ToNode(generation),
        ["stack"] = JsonNode.Parse(OpticalStackFile.ToJson(stack)),
    };
}
