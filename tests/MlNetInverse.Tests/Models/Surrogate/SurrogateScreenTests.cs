using MlNetInverse.Models.Surrogate;

namespace MlNetInverse.Tests.Models.Surrogate;

/// <summary>The surrogate screen's choice: closest to the target first, ties by draw order, NaN last.</summary>
public sealed class SurrogateScreenTests
{
    [Fact]
    public void GivenPredictions_WhenScreened_ThenTheClosestAreKeptClosestFirstWithTiesInDrawOrderAndNaNLast()
    {
        // Exactly representable, so draws 2 and 3 tie (0.25 away) and draw 0 is 0.375 away.
        float[] predictions = [0.875f, float.NaN, 0.25f, 0.75f, 0.5f, 0f];

        Assert.Equal([4, 2, 3, 0], SurrogateScreen.Closest(predictions, 0.5f, 4));
        Assert.Equal([4, 2, 3, 0, 5, 1], SurrogateScreen.Closest(predictions, 0.5f, 6));
        Assert.Empty(SurrogateScreen.Closest(predictions, 0.5f, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SurrogateScreen.Closest(predictions, 0.5f, 7));
    }

    [Fact]
    public void GivenPredictionsThatFavourHighVolumeFractions_WhenScreenedWithinTwoStrata_ThenEachHalfGivesItsClosest()
    {
        // Draws 0-3 hold little material A, 4-7 much; the surrogate reads the full ones nearest the target 0.5.
        float[] volumeFractions = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f];
        float[] predictions = [0.25f, 0.375f, 0.125f, 0.25f, 0.5f, 0.625f, 0.5f, 0.75f];

        Assert.Equal([4, 6], SurrogateScreen.Closest(predictions, 0.5f, 2));
        Assert.Equal([4, 1], SurrogateScreen.ClosestWithinVolumeStrata(predictions, 0.5f, 2, volumeFractions, 2));
        // Four from two strata: two each; ties (draws 0 and 3, 0.25 away) in draw order; closest first overall.
        Assert.Equal([4, 6, 1, 0], SurrogateScreen.ClosestWithinVolumeStrata(predictions, 0.5f, 4, volumeFractions, 2));
        // One stratum is one ranking.
        Assert.Equal(SurrogateScreen.Closest(predictions, 0.5f, 3), SurrogateScreen.ClosestWithinVolumeStrata(predictions, 0.5f, 3, volumeFractions, 1));
    }

    [Theory]
    [InlineData(360, 90, 10)]
    [InlineData(100, 7, 10)]
    [InlineData(50, 3, 4)]
    [InlineData(8, 7, 5)]
    public void GivenRandomDraws_WhenScreenedWithinStrata_ThenEveryStratumOfVolumeFractionGivesItsShareOnce(int candidates, int keep, int strata)
    {
        var random = new Random(candidates + keep);
        var volumeFractions = Enumerable.Range(0, candidates).Select(_ => (float)random.NextDouble()).ToArray();
        var predictions = volumeFractions.Select(v => 0.4f + 0.3f * v + 0.05f * (float)random.NextDouble()).ToArray();

        var kept = SurrogateScreen.ClosestWithinVolumeStrata(predictions, 0.65f, keep, volumeFractions, strata);

        Assert.Equal(keep, kept.Distinct().Count());
        var rank = Enumerable.Range(0, candidates).OrderBy(i => volumeFractions[i]).Select((draw, r) => (draw, r)).ToDictionary(p => p.draw, p => p.r);
        int runs = Math.Min(strata, keep);
        // Run j holds the draws ranked floor(j n / runs) up to floor((j + 1) n / runs) by volume fraction.
        int RunOf(int r) => Enumerable.Range(0, runs).Last(j => r >= j * candidates / runs);
        var perRun = kept.GroupBy(i => RunOf(rank[i])).ToDictionary(g => g.Key, g => g.Count());
        for (int run = 0; run < runs; run++)
        {
            int first = run * candidates / runs, last = (run + 1) * candidates / runs;
            Assert.Equal(last * keep / candidates - first * keep / candidates, perRun.GetValueOrDefault(run));
        }
        var distances = kept.Select(i => Math.Abs(predictions[i] - 0.65f)).ToArray();
        Assert.Equal(distances.Order(), distances); // closest first
    }

    [Fact]
    public void GivenVolumeFractionsThatAreNotOnePerDraw_WhenScreenedWithinStrata_ThenTheErrorSaysSo()
    {
        var error = Assert.Throws<ArgumentException>(() => SurrogateScreen.ClosestWithinVolumeStrata([0.5f, 0.6f], 0.5f, 1, [0.3f], 2));
        Assert.Contains("1 volume fractions for 2 candidates", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SurrogateScreen.ClosestWithinVolumeStrata([0.5f, 0.6f], 0.5f, 1, [0.3f, 0.4f], 0));
    }

    [Fact]
    public void GivenASoftnessOfZero_WhenDrawnByWeight_ThenItKeepsTheClosest()
    {
        float[] predictions = [0.875f, float.NaN, 0.25f, 0.75f, 0.5f, 0f];

        Assert.Equal(SurrogateScreen.Closest(predictions, 0.5f, 4), SurrogateScreen.Weighted(predictions, 0.5f, 4, softness: 0, seed: 3));
        Assert.Equal(SurrogateScreen.Closest(predictions, 0.5f, 6), SurrogateScreen.Weighted(predictions, 0.5f, 6, softness: 0.2, seed: 3));
    }

    [Fact]
    public void GivenManyCandidates_WhenDrawnByWeight_ThenTheChoiceIsSeededDistinctClosestFirstAndFavoursTheClose()
    {
        // 200 candidates spread evenly 0..0.199 away from the target: the weighted draw keeps more of the far ones than
        // the closest 20 (all under 0.02 away) but still favours the close ones.
        var predictions = Enumerable.Range(0, 200).Select(i => 0.5f + (i % 2 == 0 ? 1 : -1) * i / 1000f).ToArray();
        double Distance(int i) => Math.Abs(predictions[i] - 0.5f);

        var kept = SurrogateScreen.Weighted(predictions, 0.5f, 20, softness: 0.1, seed: 7);

        Assert.Equal(20, kept.Distinct().Count());
        Assert.Equal(kept.OrderBy(Distance).ThenBy(i => i), kept);
        Assert.Equal(kept, SurrogateScreen.Weighted(predictions, 0.5f, 20, softness: 0.1, seed: 7));
        Assert.NotEqual(kept, SurrogateScreen.Weighted(predictions, 0.5f, 20, softness: 0.1, seed: 8));
        var closest = SurrogateScreen.Closest(predictions, 0.5f, 20);
        Assert.True(kept.Average(Distance) > closest.Average(Distance));
        // Over 200 seeds a candidate within tau (0.02) is kept far more often than one 5 tau away.
        var counts = new int[200];
        for (int seed = 0; seed < 200; seed++)
            foreach (int i in SurrogateScreen.Weighted(predictions, 0.5f, 20, softness: 0.1, seed: seed)) counts[i]++;
        Assert.True(counts[..20].Average() > 5 * counts[100..].Average(), $"near {counts[..20].Average():F1}, far {counts[100..].Average():F1}");
    }

    [Fact]
    public void GivenNaNPredictions_WhenDrawnByWeight_ThenTheyComeOnlyWhenNothingElseIsLeft()
    {
        float[] predictions = [float.NaN, 0.4f, 0.6f, float.NaN, 0.45f];

        Assert.DoesNotContain(0, SurrogateScreen.Weighted(predictions, 0.5f, 3, softness: 0.5, seed: 1));
        Assert.Equal([4, 1, 2, 0], SurrogateScreen.Weighted(predictions, 0.5f, 4, softness: 0.5, seed: 1));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void GivenASoftnessOutsideZeroToOne_WhenDrawnByWeight_ThenItIsRefusedNamingTheRange(double softness)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SurrogateScreen.Weighted([0.5f, 0.4f], 0.5f, 1, softness, seed: 0));
        Assert.Contains("[0, 1)", error.Message);
    }

    [Fact]
    public void GivenStrataAndASoftness_WhenAScreenIsChosen_ThenItIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => SurrogateScreen.Choose([0.5f, 0.4f], 0.5f, 1, new float[2 * 4], 4, strata: 2, softness: 0.1));
        Assert.Contains("not both", error.Message);
    }
}
