using System.Text.Json;
using System.Text.Json.Nodes;
using MlNetInverse.ML.Internals;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.ML.Scoring;

/// <summary>
/// The work folder of a resumable scoring run, <c>&lt;out&gt;.parts/</c>: manifest.json with the run's settings and
/// one Parquet file per finished block (part-00000.parquet, ...), each written atomically, so an interruption loses
/// at most the block being computed. A folder of a run with other settings is refused, never mixed in.
/// </summary>
internal sealed class ScorePartsFolder
{
    public const string ManifestName = "manifest.json";
    public const string FolderSuffix = ".parts";

    private ScorePartsFolder(string folder) => Folder = folder;

    public string Folder { get; }

    public static string FolderFor(string outputPath) => outputPath + FolderSuffix;

    public string PartPath(int block) => Path.Combine(Folder, $"part-{block:D5}.parquet");

    /// <summary>
    /// Creates the folder and its manifest, or checks that an existing one holds a run with the same settings; with
    /// <paramref name="startOver"/>, a folder of other settings is emptied instead of refused.
    /// </summary>
    /// <exception cref="InvalidOperationException">The folder holds a run with other settings, or parts without a manifest.</exception>
    public static ScorePartsFolder Open(string outputPath, JsonObject settings, bool startOver = false)
    {
        var parts = new ScorePartsFolder(FolderFor(outputPath));
        string manifestPath = Path.Combine(parts.Folder, ManifestName);
        if (startOver && Directory.Exists(parts.Folder) && !HoldsRunOf(manifestPath, settings)) parts.Delete();
        Directory.CreateDirectory(parts.Folder);
        foreach (var leftover in Directory.EnumerateFiles(parts.Folder, ".*.tmp")) File.Delete(leftover);
        bool hasParts = Directory.EnumerateFiles(parts.Folder, "part-*.parquet").Any();
        if (hasParts && File.Exists(manifestPath))
        {
            JsonNode? stored;
            try { stored = JsonNode.Parse(File.ReadAllText(manifestPath)); }
            catch (JsonException e) { throw new InvalidOperationException($"The parts manifest '{manifestPath}' is unreadable ({e.Message}); delete '{parts.Folder}' to start over.", e); }
            if (!JsonNode.DeepEquals(stored, settings))
            {
                var different = settings.Where(p => !JsonNode.DeepEquals(p.Value, (stored as JsonObject)?[p.Key])).Select(p => p.Key);
                throw new InvalidOperationException(
                    $"The parts folder '{parts.Folder}' holds an interrupted scoring run with other settings ({string.Join(", ", different)} differ). " +
                    $"Re-run with the same settings to resume it, or delete '{parts.Folder}' to start over.");
            }
            return parts;
        }
        if (hasParts)
            throw new InvalidOperationException($"The parts folder '{parts.Folder}' holds parts but no {ManifestName}, so their settings are unknown; delete the folder to start over.");
        AtomicFile.Write(manifestPath, stream => JsonSerializer.Serialize(stream, settings, new JsonSerializerOptions { WriteIndented = true }));
        return parts;
    }

    private static bool HoldsRunOf(string manifestPath, JsonObject settings)
    {
        try { return File.Exists(manifestPath) && JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(manifestPath)), settings); }
        catch (JsonException) { return false; }
    }

    /// <summary>
    /// True when the part exists, holds <paramref name="images"/> rows and its values match their recorded checksum;
    /// a part damaged since it was written is computed again.
    /// </summary>
    public bool IsComplete(int block, long images) => ScoreFile.VerifiedRowCount(PartPath(block)) == images;

    public void Delete() => Directory.Delete(Folder, recursive: true);
}
