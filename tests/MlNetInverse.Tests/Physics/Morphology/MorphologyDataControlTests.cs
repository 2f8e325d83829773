using MlNetInverse.Physics.Morphology;

namespace MlNetInverse.Tests.Physics.Morphology;

/// <summary>
/// The bar applied to the data itself: a lenient bar is met by every set, seamed data misses the absolute seam bar in
/// every set, GRF data meets the default bar in most sets, the sets are seeded, and a window too small for a set and its
/// yardstick has no control.
/// </summary>
public sealed class MorphologyDataControlTests
{
    private static readonly MapMorphology[] Grf = MapMorphology.OfAll(MorphologyMaps.Grf(120, 1000));

    [Fact]
    public void GivenALenientBar_WhenTheDataControlIsDrawn_ThenEverySetMeetsIt()
    {
        var lenient = new MorphologyBar { SpreadFactor = 100, MinSeamRatio = 0, MaxSeamRatio = 100 };

        var control = MorphologyDataControl.Of(Grf, setSize: 10, bar: lenient)!;

        Assert.Equal((10, MorphologyDataControl.DefaultSets, MorphologyDataControl.DefaultSets), (control.SetSize, control.Sets, control.Met));
        Assert.Empty(control.Misses);
    }

    [Fact]
    public void GivenDataThatIsItselfSeamed_WhenTheDataControlIsDrawn_ThenEverySetMissesTheAbsoluteSeamBar()
    {
        var seamed = MapMorphology.OfAll(MorphologyMaps.Grf(40, 3000).Select(MorphologyMaps.ShiftedHalf).ToArray());

        var control = MorphologyDataControl.Of(seamed, setSize: 10)!;

        Assert.Equal(0, control.Met);
        Assert.Equal(control.Sets, control.Misses[MorphologyStatistic.PeriodicSeam]);
    }

    [Fact]
    public void GivenGrfMapsOfOneRecipe_WhenTheDataControlIsDrawn_ThenMostSetsMeetTheBar()
    {
        var control = MorphologyDataControl.Of(Grf, setSize: 30)!;

        Assert.True(control.Met >= 15, $"{control.Met} of {control.Sets}: {string.Join(", ", control.Misses)}");
        AssertMissesAccountForTheFailedSets(control);
    }

    [Fact]
    public void GivenTheSameSeed_WhenDrawnTwice_ThenTheCountsAreEqual_AndTheYardstickUsesItsOwnOptions()
    {
        var mixed = Grf.Take(20).Concat(MapMorphology.OfAll(MorphologyMaps.Grf(20, 5000, MorphologyMaps.Ring with { MeanWavenumber = 8 }))).ToArray();
        var options = new MorphologyYardstickOptions { Seed = 3 };

        var first = MorphologyDataControl.Of(mixed, 10, options)!;
        var second = MorphologyYardstick.Of(mixed, options).DataControl(10)!;

        Assert.Equal(first.Met, second.Met);
        Assert.Equal(first.Misses, second.Misses);
    }

    [Fact]
    public void GivenFewerMapsThanTwoSets_WhenTheDataControlIsDrawn_ThenThereIsNone()
    {
        Assert.Null(MorphologyDataControl.Of(Grf.Take(59).ToArray(), setSize: 30));
        Assert.NotNull(MorphologyDataControl.Of(Grf.Take(60).ToArray(), setSize: 30));
        Assert.Throws<ArgumentOutOfRangeException>(() => MorphologyDataControl.Of(Grf, setSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MorphologyDataControl.Of(Grf, setSize: 5, sets: 0));
    }

    [Fact]
    public void GivenAComparison_WhenItsDataControlIsRead_ThenItIsTheYardsticksControlAtTheComparedSetsSize()
    {
        var yardstick = MorphologyYardstick.Of(Grf);
        var designs = MorphologyMaps.Grf(30, 9000);

        var comparison = MorphologyComparison.Of(designs, yardstick);

        Assert.Equal(30, comparison.DataControl!.SetSize);
        Assert.Equal(yardstick.DataControl(30)!.Met, comparison.DataControl.Met);
    }

    // Every failed set missed at least one statistic, and no statistic was missed by more sets than failed.
    private static void AssertMissesAccountForTheFailedSets(MorphologyDataControl control)
    {
        int failed = control.Sets - control.Met;
        Assert.True(control.Misses.Values.Sum() >= failed, $"{failed} failed sets, misses {string.Join(", ", control.Misses)}");
        Assert.All(control.Misses.Values, n => Assert.InRange(n, 1, failed));
    }
}
