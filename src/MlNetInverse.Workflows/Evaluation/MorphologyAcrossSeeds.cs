using System.Text.Json.Nodes;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Morphology;
using static MlNetInverse.Physics.Formatting.InvariantText;
using static MlNetInverse.Workflows.Evaluation.ReportNumbers;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The morphology bar checked seed by seed, without RCWA: for every seed, each target's designs against the training
/// maps labelled within the window of it (<see cref="MorphologyComparison"/>), counted per target and over all targets,
/// beside the bar applied to the data itself at the same size (<see cref="MorphologyDataControl"/>). One seed is one
/// noisy draw of a bar of about two standard errors per statistic; this says how often a model meets it, and how often
/// designs exactly like the data would.
/// </summary>
internal sealed class MorphologyAcrossSeeds
{
    private MorphologyAcrossSeeds(IReadOnlyList<long> seeds, int designs, IReadOnlyList<MorphologyAcrossSeedsTarget> targets, IReadOnlyList<SeedVerdict> perSeed,
        PooledSets? pooled)
    {
        Seeds = seeds;
        Designs = designs;
        Targets = targets;
        PerSeed = perSeed;
        Pooled = pooled;
    }

    /// <summary>The seeds checked, in order.</summary>
    public IReadOnlyList<long> Seeds { get; }

    /// <summary>Designs per target and seed.</summary>
    public int Designs { get; }

    /// <summary>One row per target, in target order.</summary>
    public IReadOnlyList<MorphologyAcrossSeedsTarget> Targets { get; }

    /// <summary>Per seed, the targets it missed (with the statistics) and those the data could not judge.</summary>
    public IReadOnlyList<SeedVerdict> PerSeed { get; }

    /// <summary>
    /// The bar on sets that pool consecutive seeds' designs, as <c>evaluate --seeds</c> pools them; null when each seed
    /// was checked alone. A pooled set is judged against a tighter spread (it shrinks with the set's size), so a bias
    /// that single seeds hide shows there.
    /// </summary>
    public PooledSets? Pooled { get; }

    /// <summary>Seeds whose designs met the bar at every target.</summary>
    public int SeedsMetEverywhere => PerSeed.Count(s => s.Missed.Count == 0 && s.Open.Count == 0);

    /// <summary>
    /// The share of seeds in which designs exactly like the data would meet the bar at every target: the product of the
    /// data's own rates per target (independent targets); NaN when some target's window is too small to draw them.
    /// </summary>
    public double DataRateEverywhere => Targets.Any(t => t.DataControl is null) ? double.NaN
        : Targets.Aggregate(1.0, (p, t) => p * t.DataControl!.Met / t.DataControl.Sets);

    /// <summary>
    /// Checks <paramref name="seeds"/> one after the other: <paramref name="designsForSeed"/> gives, for a seed, the
    /// designs of every target in <paramref name="targets"/> order (each set the same size). With
    /// <paramref name="seedsPerSet"/> above 1, each run of that many consecutive seeds is also pooled into one set per
    /// target and checked (a last, shorter run is left out).
    /// </summary>
    /// <exception cref="ArgumentException">No target or seed, a seed whose sets are missing, empty or of unequal size, or fewer seeds than one pooled set needs.</exception>
    public static MorphologyAcrossSeeds Of(Func<long, IReadOnlyList<IReadOnlyList<Microstructure>>> designsForSeed, IReadOnlyList<double> targets,
        IReadOnlyList<long> seeds, IReadOnlyList<MicrostructureRecord> training, IProgress<string>? log = null, CancellationToken cancellationToken = default,
        int seedsPerSet = 1)
    {
        ArgumentNullException.ThrowIfNull(designsForSeed);
        ArgumentNullException.ThrowIfNull(training);
        if (targets is not { Count: > 0 }) throw new ArgumentException("Check at least one target.", nameof(targets));
        if (seeds is not { Count: > 0 }) throw new ArgumentException("Check at least one seed.", nameof(seeds));
        ArgumentOutOfRangeException.ThrowIfLessThan(seedsPerSet, 1);
        if (seedsPerSet > seeds.Count)
            throw new ArgumentException(Text($"Pooling {seedsPerSet} seeds per set needs at least {seedsPerSet} seeds; got {seeds.Count}."), nameof(seedsPerSet));
        var yardsticks = targets.Select(t => MorphologyYardstick.AtTarget(training, t, MorphologyFidelitySection.Options)).ToArray();
        int designs = 0;
        var verdicts = new List<SeedVerdict>();
        var perTarget = targets.Select(_ => new List<MorphologyComparison>()).ToArray();
        // Kept only to pool them: every seed's designs per target.
        var kept = targets.Select(_ => new List<IReadOnlyList<Microstructure>>()).ToArray();
        foreach (long seed in seeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sets = designsForSeed(seed);
            if (sets.Count != targets.Count)
                throw new ArgumentException(Text($"Seed {seed} gave designs for {sets.Count} target(s); {targets.Count} were asked for."), nameof(designsForSeed));
            if (designs == 0) designs = sets[0].Count;
            if (sets.Any(s => s.Count != designs || s.Count == 0))
                throw new ArgumentException(Text($"Seed {seed} gave sets of {string.Join(", ", sets.Select(s => s.Count))} designs; every target and seed needs the same number, at least 1."), nameof(designsForSeed));
            var missed = new List<(double Target, IReadOnlyList<MorphologyStatistic> Statistics)>();
            var open = new List<double>();
            for (int t = 0; t < targets.Count; t++)
            {
                var comparison = MorphologyComparison.Of(sets[t], yardsticks[t]);
                perTarget[t].Add(comparison);
                if (seedsPerSet > 1) kept[t].Add(sets[t]);
                if (comparison.Missed.Any()) missed.Add((targets[t], comparison.Missed.ToArray()));
                else if (!comparison.Met) open.Add(targets[t]);
            }
            var verdict = new SeedVerdict(seed, missed, open);
            verdicts.Add(verdict);
            log?.Report(verdict.Describe());
        }
        // The data's sets are at least as many as the seeds, so the two rates rest on as many draws (40 seeds against 20 sets
        // left the data's rate at one target resting on half the draws of the model's).
        int dataSets = Math.Max(MorphologyDataControl.DefaultSets, seeds.Count);
        var rows = targets.Select((target, t) => Row(target, yardsticks[t], perTarget[t], designs, dataSets)).ToArray();
        var pooled = seedsPerSet == 1 ? null : Pool(targets, seeds, yardsticks, kept, seedsPerSet, designs, cancellationToken);
        return new MorphologyAcrossSeeds(seeds.ToArray(), designs, rows, verdicts, pooled);
    }

    private static MorphologyAcrossSeedsTarget Row(double target, MorphologyYardstick yardstick, IReadOnlyList<MorphologyComparison> comparisons, int designs, int dataSets) =>
        new(target, yardstick.Count, comparisons.Count(c => c.Met), comparisons.Count(c => !c.Met && !c.Missed.Any()), MorphologyComparison.CountMisses(comparisons),
            yardstick.DataControl(designs, sets: dataSets), MorphologyMargins.Of(comparisons));

    private static PooledSets Pool(IReadOnlyList<double> targets, IReadOnlyList<long> seeds, MorphologyYardstick[] yardsticks,
        List<IReadOnlyList<Microstructure>>[] kept, int seedsPerSet, int designs, CancellationToken cancellationToken)
    {
        int sets = seeds.Count / seedsPerSet;
        var groups = Enumerable.Range(0, sets).Select(g => seeds.Skip(g * seedsPerSet).Take(seedsPerSet).ToArray()).ToArray();
        var comparisons = targets.Select((_, t) => Enumerable.Range(0, sets).Select(g =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            return MorphologyComparison.Of(kept[t].Skip(g * seedsPerSet).Take(seedsPerSet).SelectMany(m => m).ToArray(), yardsticks[t]);
        }).ToArray()).ToArray();
        var rows = targets.Select((target, t) => Row(target, yardsticks[t], comparisons[t], designs * seedsPerSet, Math.Max(MorphologyDataControl.DefaultSets, sets))).ToArray();
        int everywhere = Enumerable.Range(0, sets).Count(g => comparisons.All(perSet => perSet[g].Met));
        return new PooledSets(seedsPerSet, designs * seedsPerSet, groups, rows, everywhere);
    }

    /// <summary>Console lines: one per target, then the count over all targets beside the data's rate.</summary>
    public IEnumerable<string> Lines()
    {
        foreach (var row in Targets) yield return TargetLine(row, Text($"{Seeds.Count} seeds"), Designs);
        foreach (var row in Targets) yield return MarginLine(row, "seeds");
        string data = double.IsNaN(DataRateEverywhere) ? "not drawn (a window holds too few maps)" : Text($"about {100 * DataRateEverywhere:F0} % of seeds");
        yield return Text($"every target met in {SeedsMetEverywhere} of {Seeds.Count} seeds; designs exactly like the data: {data}");
        if (Pooled is not { } pooled) yield break;
        int left = Seeds.Count - pooled.Sets.Count * pooled.SeedsPerSet;
        yield return Text($"pooled: sets of {pooled.Designs} designs, {pooled.SeedsPerSet} consecutive seeds each (as evaluate --seeds pools them){(left == 0 ? "" : Text($"; the last {left} seed(s) make no full set"))}");
        foreach (var row in pooled.Targets) yield return TargetLine(row, Text($"{pooled.Sets.Count} pooled sets"), pooled.Designs);
        foreach (var row in pooled.Targets) yield return MarginLine(row, "pooled sets");
        yield return Text($"every target met in {pooled.SetsMetEverywhere} of {pooled.Sets.Count} pooled sets");
    }

    // One target's line, for seeds or pooled sets alike: "{target}: met in {met} of {checkedSets}..., the data's own sets of {designs}: ...".
    private static string TargetLine(MorphologyAcrossSeedsTarget row, string checkedSets, int designs)
    {
        string misses = MorphologyFidelityText.Misses(row.Misses);
        string open = row.Open == 0 ? "" : Text($", {row.Open} open ({row.DataMaps} data map(s) in the window)");
        return Text($"{Target(row.Target)}: met in {row.Met} of {checkedSets}{misses}{open}; the data's own sets of {designs}: ")
            + (row.DataControl is { } c ? Text($"{c.Met} of {c.Sets}") : Text($"- (the window holds {row.DataMaps} maps, fewer than twice {designs})"));
    }

    // "0.75 margins over 16 pooled sets (value / limit, median and worst): S2 0.61 / 1.12, ...; volume fraction 0.412 against the data's 0.405".
    private static string MarginLine(MorphologyAcrossSeedsTarget row, string counted)
    {
        var m = row.Margins;
        string statistics = string.Join(", ", m.Ratios.Select(p => Text($"{MorphologyFidelityText.Name(p.Key)} {p.Value.Median:F2} / {p.Value.Worst:F2}")));
        string fraction = double.IsNaN(m.DataVolumeFraction) ? Text($"volume fraction {m.GeneratedVolumeFraction:F3}")
            : Text($"volume fraction {m.GeneratedVolumeFraction:F3} against the data's {m.DataVolumeFraction:F3}");
        return Text($"{Target(row.Target)} margins over {m.Sets} {counted} (value / limit, median / worst; above 1 misses): {statistics}; {fraction}");
    }

    // One target's JSON row; the counts are named for what was checked ("seeds_met" or "sets_met").
    private static JsonArray TargetsJson(IEnumerable<MorphologyAcrossSeedsTarget> rows, string counted) => new(rows.Select(t => (JsonNode?)new JsonObject
    {
        ["target"] = t.Target,
        ["data_maps"] = t.DataMaps,
        [$"{counted}_met"] = t.Met,
        [$"{counted}_open"] = t.Open,
        ["misses"] = MorphologyFidelityJson.Misses(t.Misses),
        ["data_control"] = MorphologyFidelityJson.DataControl(t.DataControl),
        ["margins"] = t.Margins.ToJson(),
    }).ToArray());

    /// <summary>The JSON the command writes (<c>--out</c>).</summary>
    public JsonObject ToJson(string model, string data) => new()
    {
        ["schema"] = "mlnet-inverse/morphology-across-seeds/1",
        ["model"] = model,
        ["data"] = data,
        ["designs_per_target"] = Designs,
        ["seeds"] = new JsonArray(Seeds.Select(s => (JsonNode?)s).ToArray()),
        ["window"] = MorphologyFidelitySection.Options.Window,
        ["bar"] = MorphologyFidelityJson.Bar(MorphologyBar.Default),
        ["seeds_met_at_every_target"] = SeedsMetEverywhere,
        ["data_rate_at_every_target"] = double.IsNaN(DataRateEverywhere) ? null : DataRateEverywhere,
        ["targets"] = TargetsJson(Targets, "seeds"),
        ["pooled"] = Pooled is not { } pooled ? null : new JsonObject
        {
            ["seeds_per_set"] = pooled.SeedsPerSet,
            ["designs_per_set"] = pooled.Designs,
            ["sets"] = new JsonArray(pooled.Sets.Select(g => (JsonNode?)new JsonArray(g.Select(s => (JsonNode?)s).ToArray())).ToArray()),
            ["sets_met_at_every_target"] = pooled.SetsMetEverywhere,
            ["targets"] = TargetsJson(pooled.Targets, "sets"),
        },
        ["per_seed"] = new JsonArray(PerSeed.Select(s => (JsonNode?)new JsonObject
        {
            ["seed"] = s.Seed,
            ["missed"] = new JsonArray(s.Missed.Select(m => (JsonNode?)new JsonObject
            {
                ["target"] = m.Target,
                ["statistics"] = new JsonArray(m.Statistics.Select(x => (JsonNode?)MorphologyFidelityJson.Name(x)).ToArray()),
            }).ToArray()),
            ["open"] = new JsonArray(s.Open.Select(t => (JsonNode?)t).ToArray()),
        }).ToArray()),
    };

    /// <summary>One seed's outcome: the targets it missed, with the statistics, and those the data could not judge.</summary>
    public sealed record SeedVerdict(long Seed, IReadOnlyList<(double Target, IReadOnlyList<MorphologyStatistic> Statistics)> Missed, IReadOnlyList<double> Open)
    {
        /// <summary>"seed 7: met at every target" or "seed 8: missed at 0.60 (components B)".</summary>
        public string Describe() => Missed.Count == 0 && Open.Count == 0 ? Text($"seed {Seed}: met at every target")
            : Text($"seed {Seed}: ") + string.Join("; ", Missed.Select(m => $"missed at {Target(m.Target)} ({string.Join(", ", m.Statistics.Select(MorphologyFidelityText.Name))})")
                .Concat(Open.Select(t => $"open at {Target(t)}")));
    }
}

/// <summary>The pooled sets of <see cref="MorphologyAcrossSeeds"/>: each run of <paramref name="SeedsPerSet"/> consecutive seeds as one set per target.</summary>
/// <param name="SeedsPerSet">Seeds pooled into one set.</param>
/// <param name="Designs">Designs per pooled set and target.</param>
/// <param name="Sets">The seeds of each set, in order.</param>
/// <param name="Targets">One row per target; its Met and Open count sets, not seeds.</param>
/// <param name="SetsMetEverywhere">Sets whose designs met the bar at every target.</param>
internal sealed record PooledSets(int SeedsPerSet, int Designs, IReadOnlyList<long[]> Sets, IReadOnlyList<MorphologyAcrossSeedsTarget> Targets, int SetsMetEverywhere);

/// <summary>One target of <see cref="MorphologyAcrossSeeds"/>.</summary>
/// <param name="Target">The target absorption.</param>
/// <param name="DataMaps">Training maps in its window.</param>
/// <param name="Met">Seeds whose designs met every check.</param>
/// <param name="Open">Seeds the data could not judge (fewer than 2 maps in the window).</param>
/// <param name="Misses">Per statistic, the seeds that missed it.</param>
/// <param name="DataControl">The bar applied to the data itself at the designs' count; null when the window is too small.</param>
/// <param name="Margins">How close the sets came to the bar, statistic by statistic.</param>
internal sealed record MorphologyAcrossSeedsTarget(double Target, int DataMaps, int Met, int Open, IReadOnlyDictionary<MorphologyStatistic, int> Misses,
    MorphologyDataControl? DataControl, MorphologyMargins Margins);
