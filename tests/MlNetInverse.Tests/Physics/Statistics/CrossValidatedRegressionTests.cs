using MlNetInverse.Physics.Statistics;

namespace MlNetInverse.Tests.Physics.Statistics;

public sealed class CrossValidatedRegressionTests
{
    [Fact]
    public void GivenALabelThatIsACubicOfTheFeature_WhenFitted_ThenItIsExplainedFullyAndPredictedExactly()
    {
        var x = Enumerable.Range(0, 200).Select(i => new[] { 0.1 + 0.8 * i / 199.0 }).ToArray();
        double F(double v) => 0.3 + 2 * v - 3 * v * v + 1.5 * v * v * v;
        var fit = CrossValidatedRegression.Fit(x, x.Select(r => F(r[0])).ToArray(), maxDegree: 8);

        Assert.True(fit.Degree >= 3, $"degree {fit.Degree}");
        Assert.True(fit.CrossValidatedR2 > 0.999999, $"R^2 {fit.CrossValidatedR2}");
        Assert.Equal(F(0.437), fit.Model.Predict(0.437), 9);
    }

    [Fact]
    public void GivenSignalPlusIndependentNoise_WhenFitted_ThenTheExplainedShareIsTheSignalsShareOfTheVariance()
    {
        // label = sin(3 v) + noise: var(signal) over v ~ U(0, 1) and var(noise) are known, so the share is known.
        var random = new Random(3);
        var x = Enumerable.Range(0, 6000).Select(_ => new[] { random.NextDouble() }).ToArray();
        double noiseStd = 0.2;
        var y = x.Select(r => Math.Sin(3 * r[0]) + noiseStd * Gaussian(random)).ToArray();
        var signal = Enumerable.Range(0, 100000).Select(i => Math.Sin(3 * (i + 0.5) / 100000)).ToArray();
        double signalVariance = signal.Select(s => s * s).Average() - Math.Pow(signal.Average(), 2);
        double expected = signalVariance / (signalVariance + noiseStd * noiseStd);

        var fit = CrossValidatedRegression.Fit(x, y, maxDegree: 10);

        Assert.InRange(fit.CrossValidatedR2, expected - 0.02, expected + 0.02);
    }

    [Fact]
    public void GivenALabelIndependentOfTheFeature_WhenFitted_ThenAboutNothingIsExplained()
    {
        var random = new Random(5);
        var x = Enumerable.Range(0, 3000).Select(_ => new[] { random.NextDouble() }).ToArray();
        var y = x.Select(_ => Gaussian(random)).ToArray();

        var fit = CrossValidatedRegression.Fit(x, y, maxDegree: 10);

        Assert.InRange(fit.CrossValidatedR2, -0.01, 0.01);
        Assert.Equal(fit.R2ByDegree.Max(), fit.CrossValidatedR2);
    }

    [Fact]
    public void GivenTwoFeaturesWhereOnlyTheSecondMatters_WhenFittedOnBoth_ThenTheInteractionFreeQuadraticIsFound()
    {
        var random = new Random(9);
        var x = Enumerable.Range(0, 500).Select(_ => new[] { random.NextDouble(), 1 + 2 * random.NextDouble() }).ToArray();
        var y = x.Select(r => r[1] * r[1] - r[1]).ToArray();

        var fit = CrossValidatedRegression.Fit(x, y, maxDegree: 4);

        Assert.True(fit.CrossValidatedR2 > 0.999999);
        Assert.Equal(2.5 * 2.5 - 2.5, fit.Model.Predict([0.3, 2.5]), 9);
    }

    [Fact]
    public void GivenTheSameSeed_WhenFittedTwice_ThenTheScoresAreIdenticalAndAnotherSeedFoldsDifferently()
    {
        var random = new Random(1);
        var x = Enumerable.Range(0, 300).Select(_ => new[] { random.NextDouble() }).ToArray();
        var y = x.Select(r => r[0] + 0.3 * Gaussian(random)).ToArray();

        var a = CrossValidatedRegression.Fit(x, y, 6, seed: 4);
        var b = CrossValidatedRegression.Fit(x, y, 6, seed: 4);
        var c = CrossValidatedRegression.Fit(x, y, 6, seed: 5);

        Assert.Equal(a.R2ByDegree, b.R2ByDegree);
        Assert.NotEqual(a.R2ByDegree, c.R2ByDegree);
    }

    [Fact]
    public void GivenAConstantFeature_WhenFitted_ThenTheFitStillWorksOnTheOtherFeature()
    {
        var x = Enumerable.Range(0, 100).Select(i => new[] { 0.5, i / 99.0 }).ToArray();
        var fit = CrossValidatedRegression.Fit(x, x.Select(r => 2 * r[1]).ToArray(), maxDegree: 3);

        Assert.Equal(1.2, fit.Model.Predict([0.5, 0.6]), 9);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(10, 1)]
    [InlineData(10, 11)]
    public void GivenTooFewRowsOrBadFolds_WhenFitted_ThenTheErrorNamesTheProblem(int rows, int folds)
    {
        var x = Enumerable.Range(0, rows).Select(i => new[] { (double)i }).ToArray();
        var e = Assert.Throws<ArgumentException>(() => CrossValidatedRegression.Fit(x, x.Select(r => r[0]).ToArray(), 2, folds));
        Assert.Matches("rows|Folds", e.Message);
    }

    [Fact]
    public void GivenANonFiniteLabel_WhenFitted_ThenTheErrorNamesTheRow()
    {
        var x = Enumerable.Range(0, 10).Select(i => new[] { (double)i }).ToArray();
        var y = x.Select(r => r[0]).ToArray();
        y[7] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => CrossValidatedRegression.Fit(x, y, 1));
        Assert.Contains("7", e.Message);
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
