using MlNetInverse.Models.Mdn;

namespace MlNetInverse.Tests.Models.Mdn;

public sealed class NoiseFactorsTests
{
    private static float[] Filled(int l, float value) => Enumerable.Repeat(value, l * l).ToArray();

    [Theory]
    [InlineData(0.30f, 0)]
    [InlineData(0.40f, 0)]
    [InlineData(0.49f, 0)]
    [InlineData(0.50f, 0)]
    [InlineData(0.51f, 1)]
    [InlineData(0.60f, 1)]
    [InlineData(0.71f, 2)]
    [InlineData(0.95f, 2)]
    public void GivenBandsCentredAt04_06_08_WhenAConditionIsPlaced_ThenItTakesTheNearestCentre_TiesToTheLower_EndsBeyond(float condition, int band)
    {
        var factors = new NoiseFactors([Filled(2, 1), Filled(2, 2), Filled(2, 3)], [0.4, 0.6, 0.8], 2);
        Assert.Equal(band, factors.BandOf(condition));
        Assert.Equal(band + 1, factors.For(condition)[0]);
    }

    [Fact]
    public void GivenOneFactor_WhenAnyConditionIsPlaced_ThenItIsThatFactor()
    {
        var one = new NoiseFactors(Filled(3, 5), 3);
        Assert.Equal(1, one.Count);
        Assert.Empty(one.Centres);
        Assert.All(new[] { -1f, 0.5f, float.NaN, 9f }, c => Assert.Equal(0, one.BandOf(c)));
    }

    [Fact]
    public void GivenFactorsThatDoNotFit_WhenBuilt_ThenTheErrorNamesTheProblem()
    {
        Assert.Contains("L x L = 4", Assert.Throws<ArgumentException>(() => new NoiseFactors(new float[3], 2)).Message);
        Assert.Contains("as many band centres", Assert.Throws<ArgumentException>(() => new NoiseFactors([Filled(2, 1), Filled(2, 1)], [0.5], 2)).Message);
        Assert.Contains("ascending", Assert.Throws<ArgumentException>(() => new NoiseFactors([Filled(2, 1), Filled(2, 1)], [0.6, 0.5], 2)).Message);
    }

    [Fact]
    public void GivenFactorsStackedBackToBack_WhenRead_ThenEachBandGetsItsOwn_AndALengthThatDoesNotFitIsRefused()
    {
        var stacked = Filled(2, 1).Concat(Filled(2, 2)).Concat(Filled(2, 3)).ToArray();
        var bands = NoiseFactors.FromStacked(stacked, [0.4, 0.6, 0.8], 2);
        Assert.Equal(3, bands.Count);
        Assert.Equal(Filled(2, 2), bands.Factor(1));
        Assert.Equal(Filled(2, 5), NoiseFactors.FromStacked(Filled(2, 5), [], 2).Factor(0));
        Assert.Contains("3 noise factors", Assert.Throws<ArgumentException>(() => NoiseFactors.FromStacked(Filled(2, 1), [0.4, 0.6, 0.8], 2)).Message);
    }
}
