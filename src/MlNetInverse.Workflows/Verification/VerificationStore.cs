using System.Text.Json.Nodes;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.Workflows.Verification;

/// <summary>
/// RCWA absorption of <c>generate --verify</c> designs stored as they are simulated, in OUT/rcwa/: one file per
/// shard (<c>shard-000I-of-000N.json</c>) or per unsharded run (<c>run.json</c>), each naming the designs it holds by
/// their index in generation order (targets in the order given, designs within a target). A run without --shard
/// simulates only the designs no stored file holds, so shards of a cluster array share the work and a rerun after a
/// crash resumes. A file made under another fingerprint (model, seed, count, targets or stack) is ignored.
/// </summary>
internal sealed class VerificationStore(string outFolder, string fingerprint)
{
    /// <summary>The folder of the stored files.</summary>
    public string Folder { get; } = Path.Combine(outFolder, "rcwa");

    /// <summary>Every stored absorption under this fingerprint, by design index.</summary>
    /// <exception cref="InvalidDataException">A file that is not a stored verification; the message names it.</exception>
    public Dictionary<int, double> Load()
    {
        var known = new Dictionary<int, double>();
        if (!Directory.Exists(Folder)) return known;
        foreach (var path in Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var json = JsonNode.Parse(File.ReadAllText(path))!;
                if (json["fingerprint"]!.GetValue<string>() != fingerprint) continue;
                var indices = json["designs"]!.AsArray().Select(i => i!.GetValue<int>()).ToArray();
                var absorption = json["rcwa_absorption"]!.AsArray().Select(a => a!.GetValue<double>()).ToArray();
                if (indices.Length != absorption.Length) throw new InvalidDataException($"{indices.Length} designs but {absorption.Length} absorptions");
                for (int k = 0; k < indices.Length; k++) known[indices[k]] = absorption[k];
            }
            catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or System.Text.Json.JsonException or InvalidDataException)
            {
                throw new InvalidDataException($"stored RCWA verification '{path}' cannot be read ({e.Message}); delete it to simulate its designs again.", e);
            }
        }
        return known;
    }

    /// <summary>Stores the absorption of <paramref name="designs"/> in <paramref name="fileName"/> (atomically).</summary>
    public void Save(string fileName, IReadOnlyList<int> designs, IReadOnlyList<double> absorption)
    {
        Directory.CreateDirectory(Folder);
        AtomicFile.WriteAllText(Path.Combine(Folder, fileName), new JsonObject
        {
            ["fingerprint"] = fingerprint,
            ["designs"] = new JsonArray(designs.Select(d => (JsonNode?)d).ToArray()),
            ["rcwa_absorption"] = new JsonArray(absorption.Select(a => (JsonNode?)a).ToArray()),
        }.ToJsonString());
    }
}
