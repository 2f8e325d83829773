using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Randomness;

namespace MlNetInverse.Tests.Physics.Microstructures;

public sealed class PortableMathTests
{
    [Fact]
    public void GivenArgumentsAcrossTheRange_WhenExpIsEvaluated_ThenItAgreesWithTheCLibraryToAFewUlp()
    {
        for (double x = -740; x <= 700; x += 0.3721)
        {
            double expected = Math.Exp(x);
            Assert.True(Math.Abs(PortableMath.Exp(x) - expected) <= 4e-16 * expected + double.Epsilon, $"exp({x})");
        }
        Assert.Equal(1.0, PortableMath.Exp(0.0));
        Assert.Equal(0.0, PortableMath.Exp(-800));
    }

    [Fact]
    public void GivenPositiveArguments_WhenLogIsEvaluated_ThenItAgreesWithTheCLibraryToAFewUlp()
    {
        foreach (double x in new[] { 1e-300, 3e-200, 1e-17, 0.001, 0.3, 0.7071, 0.99999, 1.0, 1.5, 2.0, 1e10, 4e300, 5e-320 })
            Assert.True(Math.Abs(PortableMath.Log(x) - Math.Log(x)) <= 4e-16 * Math.Max(1, Math.Abs(Math.Log(x))), $"log({x})");
        Assert.Equal(0.0, PortableMath.Log(1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PortableMath.Log(0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PortableMath.Log(-1.0));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(6)]
    [InlineData(1000)]
    public void GivenStepsOfATurn_WhenCosSinAreEvaluated_ThenTheyMatchTheCLibraryAndAreExactAtQuarterTurns(int n)
    {
        for (int j = -n; j < 2 * n; j++)
        {
            var (cos, sin) = PortableMath.CosSinOfTurns(j, n);
            double angle = 2 * Math.PI * (((j % n) + n) % n) / n; // reduced, so the reference's own angle error stays below 1e-15
            Assert.True(Math.Abs(cos - Math.Cos(angle)) < 2e-15, $"cos {j}/{n}");
            Assert.True(Math.Abs(sin - Math.Sin(angle)) < 2e-15, $"sin {j}/{n}");
        }
        if (n % 4 == 0)
        {
            Assert.Equal((0.0, 1.0), PortableMath.CosSinOfTurns(n / 4, n));
            Assert.Equal((-1.0, 0.0), PortableMath.CosSinOfTurns(n / 2, n));
        }
    }

    [Fact]
    public void GivenTheReferenceSeedZero_WhenSplitMix64Steps_ThenItGivesThePublishedFirstOutput()
    {
        ulong state = 0;
        Assert.Equal(0xE220A8397B1DCDAFUL, SplitMix64.Step(ref state));
    }

    [Fact]
    public void GivenASeed_WhenManyGaussianPairsAreDrawn_ThenTheyHaveUnitVarianceAndZeroMean()
    {
        var random = new GrfRandom(12345);
        const int pairs = 50_000;
        double sum = 0, sumSquares = 0, crossProduct = 0;
        for (int i = 0; i < pairs; i++)
        {
            var (a, b) = random.NextGaussianPair();
            sum += a + b;
            sumSquares += a * a + b * b;
            crossProduct += a * b;
        }
        Assert.InRange(sum / (2 * pairs), -0.02, 0.02);
        Assert.InRange(sumSquares / (2 * pairs), 0.98, 1.02);
        Assert.InRange(crossProduct / pairs, -0.02, 0.02);
    }

    [Fact]
    public void GivenDifferentSeeds_WhenStreamsStart_ThenTheyDifferAndTheSameSeedRepeats()
    {
        Assert.Equal(new GrfRandom(-7).NextUInt64(), new GrfRandom(-7).NextUInt64());
        Assert.NotEqual(new GrfRandom(0).NextUInt64(), new GrfRandom(1).NextUInt64());
        Assert.NotEqual(new GrfRandom(-1).NextUInt64(), new GrfRandom(long.MaxValue).NextUInt64());
    }
}
