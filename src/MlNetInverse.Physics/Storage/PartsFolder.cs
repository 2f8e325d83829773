using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlNetInverse.Physics.Storage;

/// <summary>
/// The work folder of a resumable run, <c>&lt;out&gt;.parts/</c>: manifest.json with the run's settings and one Parquet
/// file per finished piece (part-00000.parquet, ...), each written atomically, so an interruption loses at most the
/// piece being computed. Parts of a run with other settings are never mixed in: opening refuses. Dataset generation
/// and batch scoring both keep their parts here; each says what its manifest holds and how to tell two apart.
/// </summary>
internal sealed class PartsFolder
{
    public const string ManifestName = "manifest.json";
    public const string FolderSuffix = ".parts";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private PartsFolder(string folder) => Folder = folder;

    public string Folder { get; }

    public static string FolderFor(string outputPath) => outputPath + FolderSuffix;

    public string PartPath(int part) => Path.Combine(Folder, $"part-{part:D5}.parquet");

    /// <summary>
    /// Creates the folder and its <paramref name="manifest"/>, or checks that an existing one holds a run with the same
    /// settings; with <paramref name="startOver"/>, a folder of other settings is emptied instead of refused.
    /// <paramref name="differences"/> names what differs between a stored manifest and this run's (none: same run; a
    /// <see cref="FormatException"/> or <see cref="JsonException"/>: unreadable); <paramref name="run"/> names the kind
    /// of run in the refusal.
    /// </summary>
    /// <exception cref="InvalidOperationException">The folder holds a run with other settings, parts without a manifest, or an unreadable manifest.</exception>
    public static PartsFolder Open(string outputPath, JsonObject manifest, bool startOver, string run, Func<JsonObject, IReadOnlyList<string>> differences)
    {
        var parts = new PartsFolder(FolderFor(outputPath));
        string manifestPath = Path.Combine(parts.Folder, ManifestName);
        if (startOver && Directory.Exists(parts.Folder) && !HoldsManifest(outputPath, manifest)) parts.Delete();
        Directory.CreateDirectory(parts.Folder);
        foreach (var leftover in Directory.EnumerateFiles(parts.Folder, "*" + AtomicFile.TempSuffix)) File.Delete(leftover);
        bool hasParts = Directory.EnumerateFiles(parts.Folder, "part-*.parquet").Any();
        if (hasParts && File.Exists(manifestPath))
        {
            parts.CheckManifest(manifestPath, run, differences);
            return parts;
        }
        if (hasParts)
            throw new InvalidOperationException($"The parts folder '{parts.Folder}' holds parts but no {ManifestName}, so their settings are unknown; delete the folder to start over.");
        // No finished part: nothing can be mixed, so this run's settings simply take the folder over.
        AtomicFile.WriteAllText(manifestPath, manifest.ToJsonString(Indented));
        return parts;
    }

    /// <summary>True when <paramref name="outputPath"/>'s parts folder exists with exactly <paramref name="manifest"/>.</summary>
    public static bool HoldsManifest(string outputPath, JsonObject manifest)
    {
        string manifestPath = Path.Combine(FolderFor(outputPath), ManifestName);
        if (!File.Exists(manifestPath)) return false;
        try { return JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(manifestPath)), manifest); }
        catch (JsonException) { return false; }
    }

    public void Delete() => Directory.Delete(Folder, recursive: true);

    private void CheckManifest(string manifestPath, string run, Func<JsonObject, IReadOnlyList<string>> differences)
    {
        IReadOnlyList<string> different;
        try
        {
            var stored = JsonNode.Parse(File.ReadAllText(manifestPath)) as JsonObject ?? throw new FormatException("expected a JSON object.");
            different = differences(stored);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new InvalidOperationException($"The parts manifest '{manifestPath}' is unreadable ({e.Message}); delete '{Folder}' to start over.", e);
        }
        if (different.Count > 0)
            throw new InvalidOperationException(
                $"The parts folder '{Folder}' holds an interrupted {run} with other settings ({string.Join("; ", different)}). " +
                $"Re-run with the same settings to resume it, or delete '{Folder}' to start over.");
    }
}
