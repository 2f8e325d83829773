using MlNetInverse.Physics.Statistics;

namespace MlNetInverse.Tests.Physics.Statistics;

/// <summary>The percentile bootstrap interval of a mean: its arithmetic on samples whose answer is known.</summary>
public sealed class BootstrapIntervalTests
{
    // 0, 1, ..., 99: mean 49.5, plug-in standard deviation 28.866, so the mean's standard error is 2.887 and a 95 %
    // interval is about 2 x 1.96 x 2.887 = 11.3 wide.
    private static readonly double[] Hundred = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();

    [Fact]
    public void GivenAConstantSample_WhenTheIntervalIsDrawn_ThenItHasZeroWidthAtTheConstant()
    {
        var interval = BootstrapInterval.OfMean([0.37, 0.37, 0.37, 0.37, 0.37]);

        Assert.Equal(0.37, interval.Lower);
        Assert.Equal(0.37, interval.Upper);
        Assert.Equal(0, interval.Width);
    }

    [Fact]
    public void GivenOneValue_WhenTheIntervalIsDrawn_ThenItIsThatValue()
    {
        Assert.Equal(new ConfidenceInterval(2.5, 2.5), BootstrapInterval.OfMean([2.5]));
    }

    [Fact]
    public void GivenAKnownSample_WhenTheIntervalIsDrawn_ThenItContainsTheMeanAndIsAsWideAsTheNormalTheoryPredicts()
    {
        var interval = BootstrapInterval.OfMean(Hundred);

        Assert.True(interval.Contains(49.5), $"[{interval.Lower}, {interval.Upper}]");
        Assert.InRange(interval.Width, 0.9 * 11.32, 1.1 * 11.32);
        Assert.InRange(interval.Lower, 49.5 - 1.2 * 5.66, 49.5 - 0.8 * 5.66);
    }

    [Fact]
    public void GivenTheSameValuesTenTimesAsOften_WhenTheIntervalIsDrawn_ThenItShrinksByAboutTheSquareRootOfTen()
    {
        var small = BootstrapInterval.OfMean(Hundred.Where(v => v % 10 == 0).ToArray());
        var large = BootstrapInterval.OfMean(Hundred);

        Assert.True(large.Width < small.Width, $"{large.Width} vs {small.Width}");
        Assert.InRange(small.Width / large.Width, 0.8 * Math.Sqrt(10), 1.2 * Math.Sqrt(10));
    }

    [Fact]
    public void GivenTheSameSeed_WhenDrawnTwice_ThenTheIntervalIsTheSame_AndAnotherSeedMovesIt()
    {
        double[] sample = [0.3, 1.7, 0.2, 4.1, 2.2, 0.9, 3.3];

        var first = BootstrapInterval.OfMean(sample, seed: 4);
        var again = BootstrapInterval.OfMean(sample, seed: 4);
        var other = BootstrapInterval.OfMean(sample, seed: 5);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void GivenAHigherConfidence_WhenTheIntervalIsDrawn_ThenItIsWider()
    {
        Assert.True(BootstrapInterval.OfMean(Hundred, confidence: 0.99).Width > BootstrapInterval.OfMean(Hundred, confidence: 0.8).Width);
    }

    [Fact]
    public void GivenBadInput_WhenTheIntervalIsDrawn_ThenTheErrorNamesIt()
    {
        Assert.Contains("at least one value", Assert.Throws<ArgumentException>(() => BootstrapInterval.OfMean([])).Message);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => BootstrapInterval.OfMean([1, double.NaN])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => BootstrapInterval.OfMean([1, 2], resamples: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BootstrapInterval.OfMean([1, 2], confidence: 1));
    }
}
