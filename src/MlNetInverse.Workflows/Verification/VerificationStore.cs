using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.Workflows.Verification;

/// <summary>
/// RCWA absorption of <c>generate --verify</c> designs stored as they are simulated, in OUT/rcwa/: one file per
/// shard (<c>shard-000I-of-000N.json</c>) or per unsharded run (<c>run.json</c>), each naming the designs it holds by
/// their index in generation order (targets in the order given, designs within a target). A run without --shard
/// simulates only the designs no stored file holds, so shards of a cluster array share the work and a rerun after a
/// crash resumes. A file made under another fingerprint (model, seed, count, targets or stack) is ignored. Each file
/// records the SHA-256 of its content; a damaged file (unreadable, or content that does not match it) is set aside and
/// named in <see cref="Damaged"/>, and its designs are simulated again instead of blocking every rerun.
/// </summary>
internal sealed class VerificationStore(string outFolder, string fingerprint)
{
    /// <summary>Name of the folder of the stored files, inside the output folder.</summary>
    public const string FolderName = "rcwa";

    /// <summary>The folder of the stored files.</summary>
    public string Folder { get; } = Path.Combine(outFolder, FolderName);

    /// <summary>The stored files that <see cref="Load"/> set aside as damaged, each with why, in one line.</summary>
    public List<string> Damaged { get; } = [];

    /// <summary>Every stored absorption under this fingerprint, by design index; damaged files are left out (<see cref="Damaged"/>).</summary>
    public Dictionary<int, double> Load()
    {
        var known = new Dictionary<int, double>();
        Damaged.Clear();
        if (!Directory.Exists(Folder)) return known;
        foreach (var path in Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var json = JsonNode.Parse(File.ReadAllText(path))!;
                var stamp = json["fingerprint"]!.GetValue<string>();
                if (stamp != fingerprint) continue;
                var indices = json["designs"]!.AsArray().Select(i => i!.GetValue<int>()).ToArray();
                var absorption = json["rcwa_absorption"]!.AsArray().Select(a => a!.GetValue<double>()).ToArray();
                if (indices.Length != absorption.Length) throw new InvalidDataException($"{indices.Length} designs but {absorption.Length} absorptions");
                // Files from before checksums carry none; every file written now does, and must match it.
                if (json["sha256"] is { } recorded && recorded.GetValue<string>() != Checksum(stamp, indices, absorption))
                    throw new InvalidDataException("its content does not match its SHA-256");
                for (int k = 0; k < indices.Length; k++) known[indices[k]] = absorption[k];
            }
            catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or System.Text.Json.JsonException or InvalidDataException)
            {
                Damaged.Add($"stored RCWA verification '{path}' is damaged ({e.Message}); its designs are simulated again.");
            }
        }
        return known;
    }

    /// <summary>Stores the absorption of <paramref name="designs"/> in <paramref name="fileName"/> (atomically), with the SHA-256 of its content.</summary>
    public void Save(string fileName, IReadOnlyList<int> designs, IReadOnlyList<double> absorption)
    {
        Directory.CreateDirectory(Folder);
        AtomicFile.WriteAllText(Path.Combine(Folder, fileName), new JsonObject
        {
            ["fingerprint"] = fingerprint,
            ["designs"] = new JsonArray(designs.Select(d => (JsonNode?)d).ToArray()),
            ["rcwa_absorption"] = new JsonArray(absorption.Select(a => (JsonNode?)a).ToArray()),
            ["sha256"] = Checksum(fingerprint, designs, absorption),
        }.ToJsonString());
    }

    /// <summary>SHA-256 (hex) of the fingerprint, the design indices and the absorptions at full precision ("R").</summary>
    private static string Checksum(string stamp, IReadOnlyList<int> designs, IReadOnlyList<double> absorption)
    {
        var text = new StringBuilder(stamp).Append('\n');
        foreach (var d in designs) text.Append(d.ToString(CultureInfo.InvariantCulture)).Append(' ');
        text.Append('\n');
        foreach (var a in absorption) text.Append(a.ToString("R", CultureInfo.InvariantCulture)).Append(' ');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
