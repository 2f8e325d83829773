using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Morphology;
using MlNetInverse.Tests.Physics.Morphology;
using MlNetInverse.Workflows.Evaluation;

namespace MlNetInverse.Tests.Evaluation;

/// <summary>
/// The morphology bar seed by seed on synthetic data: GRF training maps at 0.60 and nothing near 0.90; designs that are
/// fresh GRFs of the same recipe, or the same GRFs with a seam, or of the wrong size per seed.
/// </summary>
public sealed class MorphologyAcrossSeedsTests
{
    private static readonly MicrostructureRecord[] Training = MorphologyMaps.Grf(80, 2000)
        .Select((m, i) => new MicrostructureRecord(i, MorphologyMaps.Ring, i, 0.60, m, [0.60])).ToArray();

    private static readonly long[] Seeds = [1, 2, 3, 4];

    // Per seed, 12 fresh GRFs per target, seeded apart from the training maps and from the other seeds.
    private static IReadOnlyList<IReadOnlyList<Microstructure>> FreshGrfs(long seed, int targets, Func<Microstructure, Microstructure>? change = null) =>
        Enumerable.Range(0, targets).Select(t => (IReadOnlyList<Microstructure>)MorphologyMaps.Grf(12, 10_000 + 100 * seed + 20 * t)
            .Select(m => change is null ? m : change(m)).ToArray()).ToArray();

    [Fact]
    public void GivenFreshMapsOfTheDataRecipe_WhenCheckedSeedBySeed_ThenEverySeedHasAVerdictAndTheCountsAddUp()
    {
        var lines = new List<string>();

        var result = MorphologyAcrossSeeds.Of(seed => FreshGrfs(seed, 1), [0.60], Seeds, Training, new InlineProgress(lines.Add));

        var row = Assert.Single(result.Targets);
        Assert.Equal((80, 12, Seeds.Length), (row.DataMaps, result.Designs, result.Seeds.Count));
        Assert.Equal(Seeds.Length, row.Met + row.Open + result.PerSeed.Count(s => s.Missed.Count > 0));
        Assert.True(row.Met >= 3, string.Join("; ", lines));
        Assert.Equal(result.PerSeed.Count(s => s.Missed.Count == 0 && s.Open.Count == 0), result.SeedsMetEverywhere);
        Assert.Equal(Seeds.Select(s => $"seed {s}:"), lines.Select(l => l[..l.IndexOf(':')] + ":"));
        Assert.Equal(12, row.DataControl!.SetSize);
        Assert.Equal((double)row.DataControl.Met / row.DataControl.Sets, result.DataRateEverywhere, 12);
        Assert.StartsWith($"0.60: met in {row.Met} of 4 seeds", result.Lines().First());
        Assert.EndsWith($"designs exactly like the data: about {100.0 * row.DataControl.Met / row.DataControl.Sets:F0} % of seeds", result.Lines().Last());
    }

    [Fact]
    public void GivenMoreSeedsThanTheDefaultSets_WhenChecked_ThenTheDataDrawsOneSetPerSeed_AndItsFirstSetsAreTheSame()
    {
        long[] few = [1, 2, 3], many = Enumerable.Range(1, 25).Select(s => (long)s).ToArray();

        var atFew = MorphologyAcrossSeeds.Of(seed => FreshGrfs(seed, 1), [0.60], few, Training);
        var atMany = MorphologyAcrossSeeds.Of(seed => FreshGrfs(seed, 1), [0.60], many, Training);

        Assert.Equal(MorphologyDataControl.DefaultSets, atFew.Targets[0].DataControl!.Sets);
        Assert.Equal(25, atMany.Targets[0].DataControl!.Sets);
        // The sets are drawn by index, so the first 20 of 25 are the default 20: at most 5 more can meet.
        var yardstick = MorphologyYardstick.AtTarget(Training, 0.60, MorphologyFidelitySection.Options);
        Assert.Equal(yardstick.DataControl(12)!.Met, atFew.Targets[0].DataControl!.Met);
        Assert.InRange(atMany.Targets[0].DataControl!.Met, atFew.Targets[0].DataControl!.Met, atFew.Targets[0].DataControl!.Met + 5);
        Assert.Contains($"the data's own sets of 12: {atMany.Targets[0].DataControl!.Met} of 25", atMany.Lines().First());
    }

    [Fact]
    public void GivenSeamedDesigns_WhenCheckedSeedBySeed_ThenEverySeedMissesTheSeamAndNoneMeetsEverywhere()
    {
        var result = MorphologyAcrossSeeds.Of(seed => FreshGrfs(seed, 1, MorphologyMaps.ShiftedHalf), [0.60], Seeds, Training);

        var row = Assert.Single(result.Targets);
        Assert.Equal(0, row.Met);
        Assert.Equal(Seeds.Length, row.Misses[MorphologyStatistic.PeriodicSeam]);
        Assert.Equal(0, result.SeedsMetEverywhere);
        Assert.All(result.PerSeed, s => Assert.Contains(MorphologyStatistic.PeriodicSeam, Assert.Single(s.Missed).Statistics));
        Assert.Contains("missed at 0.60 (seam", result.PerSeed[0].Describe());
    }

    [Fact]
    public void GivenSeamedAndFreshDesigns_WhenChecked_ThenTheMarginsAreEachSetsValueOverLimit_MedianAndWorst()
    {
        var yardstick = MorphologyYardstick.AtTarget(Training, 0.60, MorphologyFidelitySection.Options);
        double[] SeamRatios(Func<Microstructure, Microstructure>? change) =>
            Seeds.Select(s => MorphologyComparison.Of(FreshGrfs(s, 1, change)[0], yardstick).Checks[(int)MorphologyStatistic.PeriodicSeam])
                .Select(c => c.Value / c.Limit).Order().ToArray();

        var seamed = MorphologyAcrossSeeds.Of(seed => FreshGrfs(seed, 1, MorphologyMaps.ShiftedHalf), [0.60], Seeds, Training).Targets[0].Margins;
        var fresh = MorphologyAcrossSeeds.Of(seed => FreshGrfs(seed, 1), [0.60], Seeds, Training);

        var expected = SeamRatios(MorphologyMaps.ShiftedHalf);
        Assert.Equal(((expected[1] + expected[2]) / 2, expected[^1]), seamed.Ratios[MorphologyStatistic.PeriodicSeam]);
        Assert.True(seamed.Ratios[MorphologyStatistic.PeriodicSeam].Median > 1, "a seam in every set misses in the typical set");
        var margins = fresh.Targets[0].Margins;
        Assert.Equal(SeamRatios(null)[^1], margins.Ratios[MorphologyStatistic.PeriodicSeam].Worst, 12);
        Assert.True(margins.Ratios[MorphologyStatistic.TwoPointCorrelation].Median < 1, "fresh maps of the data's recipe clear S2 in the typical set");
        Assert.All(margins.Ratios.Values, r => Assert.True(r.Median <= r.Worst));
        // The same recipe: the volume fractions agree to sampling noise (48 maps against 80).
        Assert.Equal(margins.DataVolumeFraction, margins.GeneratedVolumeFraction, 0.05);
        Assert.Equal(yardstick.Data!.VolumeFraction, margins.DataVolumeFraction, 12);
        Assert.Contains(fresh.Lines(), l => l.StartsWith("0.60 margins over 4 seeds (value / limit, median / worst; above 1 misses): S2 ", StringComparison.Ordinal));
        var json = fresh.ToJson("m.zip", "d.parquet")["targets"]![0]!["margins"]!;
        Assert.Equal(margins.Ratios[MorphologyStatistic.TwoPointCorrelation].Worst, json["two_point_correlation"]!["worst"]!.GetValue<double>());
        Assert.Equal(margins.GeneratedVolumeFraction, json["volume_fraction"]!.GetValue<double>());
    }

    [Fact]
    public void GivenATargetWithoutData_WhenChecked_ThenItIsOpenNotMet_AndTheDataRateIsNotDrawn()
    {
        var result = MorphologyAcrossSeeds.Of(seed => FreshGrfs(seed, 2), [0.60, 0.90], Seeds, Training);

        var far = result.Targets[1];
        Assert.Equal((0, 0, Seeds.Length), (far.DataMaps, far.Met, far.Open));
        Assert.Null(far.DataControl);
        Assert.True(double.IsNaN(result.DataRateEverywhere));
        Assert.Equal(0, result.SeedsMetEverywhere);
        Assert.Equal("every target met in 0 of 4 seeds; designs exactly like the data: not drawn (a window holds too few maps)", result.Lines().Last());
        var json = result.ToJson("m.zip", "d.parquet");
        Assert.Equal("mlnet-inverse/morphology-across-seeds/1", json["schema"]!.GetValue<string>());
        Assert.Null(json["data_rate_at_every_target"]);
        Assert.Equal(Seeds.Length, json["per_seed"]!.AsArray().Count);
        Assert.Equal(Seeds.Length, json["targets"]![1]!["seeds_open"]!.GetValue<int>());
        // Nothing to be near without data: no ratios, no data volume fraction.
        Assert.Equal([MorphologyStatistic.PeriodicSeam], far.Margins.Ratios.Keys);
        Assert.Null(json["targets"]![1]!["margins"]!["data_volume_fraction"]);
    }

    [Fact]
    public void GivenSetsOfUnequalSizeOrMissingTargets_WhenChecked_ThenTheErrorNamesTheSeed()
    {
        var unequal = Assert.Throws<ArgumentException>(() => MorphologyAcrossSeeds.Of(
            seed => seed == 2 ? [MorphologyMaps.Grf(5, 1)] : FreshGrfs(seed, 1), [0.60], Seeds, Training));
        Assert.Contains("Seed 2 gave sets of 5 designs", unequal.Message);
        var missing = Assert.Throws<ArgumentException>(() => MorphologyAcrossSeeds.Of(seed => FreshGrfs(seed, 1), [0.60, 0.65], Seeds, Training));
        Assert.Contains("Seed 1 gave designs for 1 target(s); 2 were asked for", missing.Message);
        Assert.Throws<ArgumentException>(() => MorphologyAcrossSeeds.Of(seed => FreshGrfs(seed, 1), [0.60], [], Training));
    }

    [Fact]
    public void GivenFiveSeedsPooledByTwo_WhenChecked_ThenTwoSetsOfTwiceTheDesignsAreJudged_AndTheLastSeedIsLeftOut()
    {
        long[] five = [1, 2, 3, 4, 5];

        var result = MorphologyAcrossSeeds.Of(seed => FreshGrfs(seed, 1), [0.60], five, Training, seedsPerSet: 2);

        var pooled = result.Pooled!;
        Assert.Equal((2, 24), (pooled.SeedsPerSet, pooled.Designs));
        Assert.Equal([[1L, 2L], [3L, 4L]], pooled.Sets);
        var row = Assert.Single(pooled.Targets);
        Assert.Equal(24, row.DataControl!.SetSize);
        // The same designs judged as one set: the pooled verdict is the comparison of the two seeds' designs together.
        var yardstick = MorphologyYardstick.AtTarget(Training, 0.60, MorphologyFidelitySection.Options);
        int expected = new[] { 1L, 3L }.Count(first => MorphologyComparison.Of(FreshGrfs(first, 1)[0].Concat(FreshGrfs(first + 1, 1)[0]).ToArray(), yardstick).Met);
        Assert.Equal(expected, row.Met);
        Assert.Contains("pooled: sets of 24 designs, 2 consecutive seeds each (as evaluate --seeds pools them); the last 1 seed(s) make no full set", result.Lines());
        Assert.Contains(result.Lines(), l => l.StartsWith($"0.60: met in {row.Met} of 2 pooled sets", StringComparison.Ordinal));
        var json = result.ToJson("m.zip", "d.parquet")["pooled"]!;
        Assert.Equal(2, json["sets"]!.AsArray().Count);
        Assert.Equal(row.Met, json["targets"]![0]!["sets_met"]!.GetValue<int>());
    }

    [Fact]
    public void GivenSeamedDesignsFromTheLastSeedOnly_WhenPooledByTwo_ThenOnlyTheSetHoldingItMissesTheSeam()
    {
        var result = MorphologyAcrossSeeds.Of(seed => FreshGrfs(seed, 1, seed == 4 ? MorphologyMaps.ShiftedHalf : null), [0.60], Seeds, Training, seedsPerSet: 2);

        var row = Assert.Single(result.Pooled!.Targets);
        Assert.Equal(1, row.Misses[MorphologyStatistic.PeriodicSeam]);
        Assert.Equal([0.60], Assert.Single(result.PerSeed, s => s.Missed.Any(m => m.Statistics.Contains(MorphologyStatistic.PeriodicSeam))).Missed.Select(m => m.Target));
        Assert.Equal(result.Pooled.SetsMetEverywhere, row.Met);
        Assert.Null(MorphologyAcrossSeeds.Of(seed => FreshGrfs(seed, 1), [0.60], Seeds, Training).Pooled);
    }

    [Fact]
    public void GivenMoreSeedsPerSetThanSeeds_WhenChecked_ThenTheErrorSaysHowManyAreNeeded()
    {
        var few = Assert.Throws<ArgumentException>(() => MorphologyAcrossSeeds.Of(seed => FreshGrfs(seed, 1), [0.60], [1, 2], Training, seedsPerSet: 3));
        Assert.Contains("Pooling 3 seeds per set needs at least 3 seeds; got 2", few.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => MorphologyAcrossSeeds.Of(seed => FreshGrfs(seed, 1), [0.60], [1, 2], Training, seedsPerSet: 0));
    }

    private sealed class InlineProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
