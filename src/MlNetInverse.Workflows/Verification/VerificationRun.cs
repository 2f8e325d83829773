using System.Globalization;
using System.Security.Cryptography;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Rcwa;
using MlNetInverse.Workflows.Generation;
using MlNetInverse.Workflows.Pipelines;

namespace MlNetInverse.Workflows.Verification;

/// <summary>
/// RCWA verification of generated designs that survives interruption and splits across a cluster array: the
/// absorption of every design (binarized, in generation order: targets as given, designs within a target) is stored in
/// OutputFolder/rcwa as it is simulated, one file per shard or per unsharded run. A run simulates only its shard's share
/// of the designs no stored file holds, so shards share the work and a rerun resumes; once every design is stored,
/// <see cref="Run"/> returns the REP of each. Stored results belong to the designs and the stack: other designs or
/// another stack never reuse them. For designs already in hand, <see cref="RcwaVerification.Run"/> does it in one call.
/// </summary>
public sealed class VerificationRun
{
    private readonly IReadOnlyList<GeneratedTarget> _generated;
    private readonly Microstructure[] _patterns;
    private readonly VerificationStore _store;
    private readonly Dictionary<int, double> _known;
    private readonly OpticalStack _stack;
    private readonly DatasetShard? _shard;

    private VerificationRun(IReadOnlyList<GeneratedTarget> generated, Microstructure[] patterns, VerificationStore store, Dictionary<int, double> known,
        OpticalStack stack, DatasetShard? shard)
    {
        _generated = generated;
        _patterns = patterns;
        _store = store;
        _known = known;
        _stack = stack;
        _shard = shard;
        (First, Length) = shard is { } s ? s.Blocks(patterns.Length) : (0, patterns.Length);
        ToSimulate = Enumerable.Range(First, Length).Where(i => !known.ContainsKey(i)).ToArray();
    }

    /// <summary>The folder of the stored results (OutputFolder/rcwa).</summary>
    public string Folder => _store.Folder;

    /// <summary>Designs of every target together.</summary>
    public int Designs => _patterns.Length;

    /// <summary>Designs whose absorption is stored (this run's included once <see cref="Run"/> returned).</summary>
    public int Stored => _known.Count;

    /// <summary>Index of the first design of this run's share (0 without a shard).</summary>
    public int First { get; }

    /// <summary>Designs in this run's share (all without a shard).</summary>
    public int Length { get; }

    /// <summary>Stored files set aside as damaged (one line each, naming the file); their designs are in <see cref="ToSimulate"/> again.</summary>
    public IReadOnlyList<string> Damaged => _store.Damaged;

    /// <summary>Indices of the designs of this run's share that no stored file holds: what <see cref="Run"/> simulates.</summary>
    public IReadOnlyList<int> ToSimulate { get; }

    /// <summary>Reads what OutputFolder/rcwa holds for these designs on <paramref name="stack"/>; simulates nothing.</summary>
    /// <param name="outputFolder">The folder whose rcwa subfolder stores the results.</param>
    /// <param name="stack">The judge: the stack that made the training labels.</param>
    /// <param name="generated">The designs, per target.</param>
    /// <param name="shard">This run's shard of the designs, or null for all of them.</param>
    public static VerificationRun Open(string outputFolder, OpticalStack stack, IReadOnlyList<GeneratedTarget> generated, DatasetShard? shard = null)
    {
        var patterns = generated.SelectMany(t => t.Maps().Select(map => map.Binarize())).ToArray();
        // The designs themselves and the judge name the stored results: another model, seed, count or stack never reuses them.
        var store = new VerificationStore(outputFolder, TrainingPipeline.Fingerprint(
            "generate-verify/1", Convert.ToBase64String(SHA256.HashData(patterns.SelectMany(p => p.ToPackedBits()).ToArray())),
            OpticalStackFile.ToJson(stack)));
        return new VerificationRun(generated, patterns, store, store.Load(), stack, shard);
    }

    /// <summary>
    /// Simulates <see cref="ToSimulate"/> with <paramref name="threads"/> workers and stores them; returns every
    /// target's RCWA absorption and REP, or null while designs outside this shard are not stored yet.
    /// </summary>
    /// <param name="threads">RCWA workers (results do not depend on the count).</param>
    /// <param name="progress">Designs simulated so far, reported from the workers' threads; null: none.</param>
    /// <param name="cancellationToken">Stops between designs; nothing of this run is stored then.</param>
    public RcwaVerification[]? Run(int threads, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        if (ToSimulate.Count > 0)
        {
            using var solver = new RcwaSolver(_stack);
            var absorption = solver.SimulateMany(ToSimulate.Select(i => _patterns[i]).ToArray(), threads, progress, cancellationToken).Select(r => r.Absorption).ToArray();
            for (int k = 0; k < ToSimulate.Count; k++) _known[ToSimulate[k]] = absorption[k];
            var stored = _shard is not null ? Enumerable.Range(First, Length).ToArray() : _known.Keys.Order().ToArray();
            _store.Save(_shard is { } named ? string.Create(CultureInfo.InvariantCulture, $"shard-{named.Index:0000}-of-{named.Count:0000}.json") : "run.json",
                stored, stored.Select(i => _known[i]).ToArray());
        }
        if (_known.Count < _patterns.Length) return null;
        var results = new RcwaVerification[_generated.Count];
        for (int t = 0, next = 0; t < _generated.Count; next += _generated[t].Images.Count, t++)
            results[t] = new RcwaVerification(_generated[t].Target, Enumerable.Range(next, _generated[t].Images.Count).Select(i => _known[i]).ToArray());
        return results;
    }
}
