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
}
