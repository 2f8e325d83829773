using System.Text.Json.Nodes;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.ML.Scoring;

/// <summary>
/// The <see cref="PartsFolder"/> of a resumable scoring run: one part per finished block of images, the manifest holds
/// the run's settings.
/// </summary>
internal sealed class ScorePartsFolder
{
    private readonly PartsFolder _parts;

    private ScorePartsFolder(PartsFolder parts) => _parts = parts;

    public string Folder => _parts.Folder;

    public string PartPath(int block) => _parts.PartPath(block);

    /// <summary>
    /// Creates the folder and its manifest, or checks that an existing one holds a run with the same settings; with
    /// <paramref name="startOver"/>, a folder of other settings is emptied instead of refused.
    /// </summary>
    /// <exception cref="InvalidOperationException">The folder holds a run with other settings, or parts without a manifest.</exception>
    public static ScorePartsFolder Open(string outputPath, JsonObject settings, bool startOver = false) =>
        new(PartsFolder.Open(outputPath, settings, startOver, "scoring run", stored =>
            JsonNode.DeepEquals(stored, settings)
                ? []
                : [$"{string.Join(", ", settings.Where(p => !JsonNode.DeepEquals(p.Value, stored[p.Key])).Select(p => p.Key))} differ"]));

    /// <summary>
    /// True when the part exists, holds <paramref name="images"/> rows and its values match their recorded checksum;
    /// a part damaged since it was written is computed again.
    /// </summary>
    public bool IsComplete(int block, long images) => ScoreFile.VerifiedRowCount(PartPath(block)) == images;

    public void Delete() => _parts.Delete();
}
