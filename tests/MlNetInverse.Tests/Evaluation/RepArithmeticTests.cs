using MlNetInverse.Cli.Reports;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Rcwa;
using MlNetInverse.Workflows.Evaluation;
using MlNetInverse.Workflows.Verification;

namespace MlNetInverse.Tests.Evaluation;

/// <summary>REP = |target - A| / target * 100 and its Table I statistics (min, mean, sample standard deviation) on hand-made values.</summary>
public sealed class RepArithmeticTests
{
    [Fact]
    public void GivenHandMadeAbsorptions_WhenTheirRepIsSummarised_ThenMinMeanAndSampleStdAreExact()
    {
        // Target 0.5: absorptions 0.49, 0.5, 0.52 are 2 %, 0 % and 4 % off; mean 2, deviations -0, -2, +2 -> s = sqrt(8 / 2) = 2.
        var statistics = RepStatistics.Of(0.5, [0.49, 0.5, 0.52]);

        Assert.Equal(3, statistics.Count);
        Assert.Equal(0, statistics.Min, 12);
        Assert.Equal(2, statistics.Mean, 12);
        Assert.Equal(2, statistics.StandardDeviation, 12);
    }

    [Fact]
    public void GivenOneDesign_WhenSummarised_ThenTheStandardDeviationIsZero()
    {
        var statistics = RepStatistics.Of(0.6, [0.63]);

        Assert.Equal(5, statistics.Min, 10);
        Assert.Equal(5, statistics.Mean, 10);
        Assert.Equal(0, statistics.StandardDeviation);
    }

    [Fact]
    public void GivenSeedsThatEachCheckedTheirFirstDesign_WhenPooled_ThenEachCheckIsComparedWithItsOwnDesign()
    {
        // Target 0.5. Seed 7 judged 0.50, 0.55 and its first design moved to 0.51; seed 8 judged 0.40, 0.45 and its first
        // design moved to 0.41. Each moved 2 REP points; pairing seed 8's check with seed 7's second design would read 8.
        var maps = Enumerable.Range(0, 2).Select(_ => Microstructure.FromPixels(new float[16], 4)).ToArray();
        CellResult Seed(long seed, double[] judged, double moved) => new("proposed", 0.5, maps, judged, judged, 0, 2, null, 0, 0, null, [seed],
            new JudgeCheck([new JudgeVariant(169, FourierFactorization.Li, [moved])]));

        var pooled = CellResult.Pool([Seed(7, [0.50, 0.55], 0.51), Seed(8, [0.40, 0.45], 0.41)]);
        var shifts = pooled.Check!.Shifts(pooled.Target, pooled.RcwaAbsorption);

        Assert.Equal(2, pooled.Check.Designs);
        Assert.Equal([2.0, 2.0], shifts[0].Select(x => Math.Round(x, 9)));
    }

    [Fact]
    public void GivenACell_WhenItsRepIsRead_ThenRcwaAndSurrogateAreJudgedAgainstTheSameTarget()
    {
        var maps = Enumerable.Range(0, 4).Select(_ => Microstructure.FromPixels(new float[16], 4)).ToArray();
        var cell = new CellResult("proposed", 0.8, maps, [0.8, 0.84, 0.76, 0.88], [0.8, 0.8, 0.8, 0.72], 0, 4, null, 0, 0, null);

        Assert.Equal([0, 5, 5, 10], cell.RcwaReps.Select(r => Math.Round(r, 9)));
        Assert.Equal(0, cell.Rcwa.Min, 9);
        Assert.Equal(5, cell.Rcwa.Mean, 9);
        Assert.Equal(Math.Sqrt((25 + 0 + 0 + 25) / 3.0), cell.Rcwa.StandardDeviation, 9);
        Assert.Equal(2.5, cell.Surrogate.Mean, 9);
        Assert.Equal(10, cell.Surrogate.StandardDeviation * 2, 9);
    }

    [Theory]
    [InlineData(6.1749, "6.17%")]
    [InlineData(0.005, "0.01%")]
    [InlineData(12, "12.00%")]
    [InlineData(double.NaN, "-")]
    public void GivenAPercentage_WhenFormattedForTheReport_ThenItHasTwoDecimalsAndAPercentSignLikeThePaper(double value, string expected) =>
        Assert.Equal(expected, ReportNumbers.Percent(value));
}
