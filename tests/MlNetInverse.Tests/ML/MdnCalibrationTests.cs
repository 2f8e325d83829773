using MlNetInverse.ML.Mdn;

namespace MlNetInverse.Tests.ML;

public sealed class MdnCalibrationTests
{
    private static readonly MdnCalibration Table = MdnCalibration.FromMeasurements([0.3, 0.4, 0.5, 0.6], [0.35, 0.45, 0.45, 0.65]);

    [Theory]
    [InlineData(0.40, 0.35)]
    [InlineData(0.35, 0.30)]
    [InlineData(0.55, 0.55)]
    [InlineData(0.65, 0.60)]
    public void GivenAMeasuredTable_WhenATargetIsInverted_ThenTheConditionIsInterpolatedPiecewiseLinearly(double target, double condition)
    {
        Assert.Equal(condition, Table.ConditionFor(target), 12);
    }

    [Fact]
    public void GivenTargetsBeyondTheAchievedRange_WhenInverted_ThenTheNearestEndIsUsed()
    {
        Assert.Equal(0.3, Table.ConditionFor(0.1));
        Assert.Equal(0.6, Table.ConditionFor(0.9));
    }

    [Fact]
    public void GivenAFlatStretch_WhenItsValueIsTheTarget_ThenTheFirstConditionReachingItIsUsed()
    {
        Assert.Equal(0.4, Table.ConditionFor(0.45), 12);
    }

    [Fact]
    public void GivenNoisyMeasurements_WhenMadeACalibration_ThenAchievedNeverDecreases()
    {
        var calibration = MdnCalibration.FromMeasurements([0.1, 0.2, 0.3], [0.5, 0.4, 0.6]);

        Assert.Equal([0.5, 0.5, 0.6], calibration.Achieved);
    }

    [Fact]
    public void GivenConditionsThatDoNotIncrease_WhenValidated_ThenTheErrorNamesThePoint()
    {
        var error = Assert.Throws<ArgumentException>(() => MdnCalibration.FromMeasurements([0.1, 0.1], [0.2, 0.3]));

        Assert.Contains("conditions must increase; point 1", error.Message);
    }
}
