using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Morphology;

namespace MlNetInverse.Tests.Physics.Morphology;

/// <summary>
/// Sets of maps: a GRF set against itself is at distance 0, its halves are apart by a small non-zero spread, fresh
/// maps of the same generator meet the bar, and speckle, seams or another feature size miss it.
/// </summary>
public sealed class MorphologyComparisonTests
{
    private static readonly MapMorphology[] Data = MapMorphology.OfAll(MorphologyMaps.Grf(120, 1000));

    private static readonly MorphologyYardstick Yardstick = MorphologyYardstick.Of(Data);

    [Fact]
    public void GivenAGrfSet_WhenComparedWithItself_ThenEveryDistanceIsZero()
    {
        var set = MorphologyStatistics.Of(Data);

        var distance = set.DistanceTo(MorphologyStatistics.Of(Data));

        Assert.Equal(new MorphologyDistance(0, 0, 0, 0, 0, 0, 0), distance);
    }

    [Fact]
    public void GivenTwoHalvesOfAGrfSet_WhenTheSpreadIsMeasured_ThenItIsNonZeroButSmallAgainstAnotherFeatureSize()
    {
        var finer = MorphologyStatistics.Of(MorphologyMaps.Grf(60, 5000, MorphologyMaps.Ring with { MeanWavenumber = 6 }));
        var toFiner = Yardstick.Data!.DistanceTo(finer);
        var spread = Yardstick.Spread!;

        Assert.Equal(120, Yardstick.Count);
        Assert.Equal((60, 60), (Yardstick.FirstHalfCount, Yardstick.SecondHalfCount));
        Assert.True(spread.TwoPointCorrelation > 0 && spread.Spectrum > 0 && spread.ComponentsMaterialA > 0, $"{spread}");
        Assert.True(toFiner.TwoPointCorrelation > 5 * spread.TwoPointCorrelation, $"S2: {toFiner.TwoPointCorrelation} vs spread {spread.TwoPointCorrelation}");
        Assert.True(toFiner.Spectrum > 5 * spread.Spectrum, $"spectrum: {toFiner.Spectrum} vs spread {spread.Spectrum}");
        Assert.True(toFiner.SpectrumPeakRadius >= 2, $"peak shift {toFiner.SpectrumPeakRadius}");
    }

    [Fact]
    public void GivenTheSameSeed_WhenTheYardstickIsTakenTwice_ThenItIsTheSame_AndAnotherSeedSplitsOtherwise()
    {
        var again = MorphologyYardstick.Of(Data);
        var other = MorphologyYardstick.Of(Data, new MorphologyYardstickOptions { Seed = 1 });

        Assert.Equal(Yardstick.Spread, again.Spread);
        Assert.NotEqual(Yardstick.Spread!.TwoPointCorrelation, other.Spread!.TwoPointCorrelation);
    }

    [Fact]
    public void GivenASmallerComparedSet_WhenTheSpreadIsScaled_ThenItGrowsAsTheSamplingNoiseOfItsMean()
    {
        // 30 designs against 120 maps: sqrt((1/30 + 1/120) / (1/60 + 1/60)) = sqrt(1.25).
        Assert.Equal(Math.Sqrt(1.25), Yardstick.ScaleFor(30), 12);
        Assert.Equal(Yardstick.Spread!.Spectrum * Math.Sqrt(1.25), Yardstick.SpreadFor(30)!.Spectrum, 15);
        Assert.True(double.IsNaN(MorphologyYardstick.Of([MorphologyMaps.Checkerboard()]).ScaleFor(30)));
    }

    [Fact]
    public void GivenFreshMapsOfTheDataGenerator_WhenCompared_ThenEveryCheckIsMet()
    {
        var comparison = MorphologyComparison.Of(MorphologyMaps.Grf(30, 9000), Yardstick);

        Assert.True(comparison.Met, string.Join("; ", comparison.Checks.Select(c => $"{c.Statistic} {c.Value:G3} vs limit {c.Limit:G3}")));
        Assert.Equal(Enum.GetValues<MorphologyStatistic>(), comparison.Checks.Select(c => c.Statistic));
    }

    [Fact]
    public void GivenSpeckledMaps_WhenCompared_ThenTheIsolatedPixelsMissTheBar()
    {
        var speckled = MorphologyMaps.Grf(30, 9000).Select(m => MorphologyMaps.Map(64, (x, y) => (x % 16 == 3 && y % 16 == 5) ? m[x, y] < 0.5f : m[x, y] > 0.5f)).ToArray();

        var comparison = MorphologyComparison.Of(speckled, Yardstick);

        Assert.True(Yardstick.Data!.IsolatedPixelRate < 1e-4, $"data isolated rate {Yardstick.Data.IsolatedPixelRate}"); // GRFs: a stray pixel in a few maps
        Assert.Contains(MorphologyStatistic.IsolatedPixels, comparison.Missed);
        Assert.False(comparison.Met);
    }

    [Fact]
    public void GivenMapsWithAShiftedHalf_WhenCompared_ThenTheSeamMissesTheBar()
    {
        var seamed = MorphologyMaps.Grf(30, 9000).Select(MorphologyMaps.ShiftedHalf).ToArray();

        var seam = MorphologyComparison.Of(seamed, Yardstick).Checks.Single(c => c.Statistic == MorphologyStatistic.PeriodicSeam);

        Assert.False(seam.Met);
        Assert.True(seam.Generated > 1.3, $"seam ratio {seam.Generated}");
        Assert.InRange(seam.Data, 0.8, 1.2);
    }

    [Fact]
    public void GivenMapsWhoseEdgeLinesCopyTheOppositeEdge_WhenCompared_ThenTheFrameMissesTheBar()
    {
        // A decoder that smooths the border makes the cell edge too uniform: row 63 = row 0 and column 63 = column 0.
        var framed = MorphologyMaps.Grf(30, 9100).Select(m => MorphologyMaps.Map(64, (x, y) => m[x == 63 ? 0 : x, y == 63 ? 0 : y] > 0.5f)).ToArray();

        var seam = MorphologyComparison.Of(framed, Yardstick).Checks.Single(c => c.Statistic == MorphologyStatistic.PeriodicSeam);

        Assert.False(seam.Met);
        Assert.True(seam.Generated < 1 / 1.3, $"seam ratio {seam.Generated}");
    }

    [Fact]
    public void GivenDataWithoutSpreadInItsCounts_WhenOneDesignHasAStrayPixel_ThenItIsWithinResolutionButThreeAreNot()
    {
        // Bands of 20 columns at different offsets: every map has one component per phase and no isolated pixel.
        static Microstructure Band(int offset, bool stray) => MorphologyMaps.Map(64, (x, y) => (y - offset + 64) % 64 < 20 || (stray && x == 32 && y == (offset + 40) % 64));
        var yardstick = MorphologyYardstick.Of(Enumerable.Range(0, 40).Select(o => Band(o, false)).ToArray());
        MorphologyCheck Check(int strays, MorphologyStatistic statistic) =>
            MorphologyComparison.Of(Enumerable.Range(0, 10).Select(o => Band(o, o < strays)).ToArray(), yardstick).Checks.Single(c => c.Statistic == statistic);

        Assert.Equal(0, yardstick.Spread!.ComponentsMaterialA);
        Assert.Equal(0, yardstick.Spread.IsolatedPixelRate);
        Assert.True(Check(1, MorphologyStatistic.ComponentsMaterialA).Met); // 1.1 components per map against 1: one event in 10 maps
        Assert.True(Check(1, MorphologyStatistic.IsolatedPixels).Met);
        Assert.False(Check(3, MorphologyStatistic.ComponentsMaterialA).Met);
        Assert.False(Check(3, MorphologyStatistic.IsolatedPixels).Met);
        Assert.Equal(0.3, Check(3, MorphologyStatistic.ComponentsMaterialA).Distance, 12);
    }

    [Fact]
    public void GivenRecordsAroundATarget_WhenTheYardstickIsTakenThere_ThenOnlyLabelsWithinTheWindowCount()
    {
        var maps = MorphologyMaps.Grf(6, 300);
        double[] labels = [0.60, 0.605, 0.595, 0.62, 0.58, 0.611];
        var records = maps.Select((m, i) => new MicrostructureRecord(i, MorphologyMaps.Ring, i, labels[i], m, [labels[i]])).ToArray();

        var yardstick = MorphologyYardstick.AtTarget(records, 0.6);

        Assert.Equal(3, yardstick.Count);
        Assert.Equal(MorphologyStatistics.Of(maps[..3]).TwoPointCorrelation, yardstick.Data!.TwoPointCorrelation);
    }

    [Fact]
    public void GivenNoDataNearTheTarget_WhenCompared_ThenTheDataChecksAreOpenButTheSeamIsStillJudged()
    {
        var comparison = MorphologyComparison.Of(MorphologyMaps.Grf(4, 9000), MorphologyYardstick.Of(Array.Empty<Microstructure>()));

        Assert.False(comparison.Assessable);
        Assert.False(comparison.Met);
        Assert.All(comparison.Checks.Where(c => c.Statistic != MorphologyStatistic.PeriodicSeam), c => Assert.Null(c.Met));
        Assert.True(comparison.Checks.Single(c => c.Statistic == MorphologyStatistic.PeriodicSeam).Met);
    }

    [Fact]
    public void GivenMapsMeasuredOneByOne_WhenTheirSpectraAreCombined_ThenItEqualsMeasuringThemTogether()
    {
        var maps = MorphologyMaps.Grf(5, 77, size: 32);

        var together = RadialSpectralDensity.Measure(maps);
        var combined = RadialSpectralDensity.Combine(maps.Select(m => RadialSpectralDensity.Measure([m])));

        Assert.Equal(together.MapCount, combined.MapCount);
        Assert.Equal(together.PeakRadius, combined.PeakRadius);
        for (int r = 0; r < together.Power.Count; r++) Assert.Equal(together.Power[r], combined.Power[r], 15);
    }

    [Fact]
    public void GivenMapsOfDifferentSizes_WhenAggregated_ThenTheErrorNamesTheSizes()
    {
        var ex = Assert.Throws<ArgumentException>(() => MorphologyStatistics.Of([MorphologyMaps.Checkerboard(16), MorphologyMaps.Checkerboard(8)]));

        Assert.Contains("8x8", ex.Message);
        Assert.Contains("16x16", ex.Message);
        Assert.Contains("at least one map", Assert.Throws<ArgumentException>(() => MorphologyStatistics.Of(Array.Empty<Microstructure>())).Message);
    }
}
