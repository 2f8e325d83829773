using MlNetInverse.Baselines.Optimization;
using MlNetInverse.Tests.Models;

namespace MlNetInverse.Tests.Baselines;

[Collection(TorchDeterminismCollection.Name)]
public sealed class GaussianProcessTests
{
    private static readonly double[][] Points = [[0.0], [0.4], [1.0]];
    private static readonly double[] Values = [1.0, 0.2, 0.7];
    private static readonly GaussianProcessHyperparameters Hyper = new([0.5], SignalVariance: 2.0, NoiseVariance: 0.01);

    [Fact]
    public void GivenThreePoints_WhenConditioned_ThenMeanVarianceAndLikelihoodMatchAHandComputation()
    {
        using var process = new GaussianProcess(Points, Values, GaussianProcessKernel.SquaredExponential, Hyper);
        double m = Values.Average();
        double K(double a, double b) => 2.0 * Math.Exp(-0.5 * (a - b) * (a - b) / 0.25);
        var matrix = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                matrix[i, j] = K(Points[i][0], Points[j][0]) + (i == j ? 0.01 : 0);
        var inverse = Invert(matrix);
        var residual = Values.Select(v => v - m).ToArray();

        double[] queries = [0.2, 0.7, 0.4, 1.5];
        var (mean, variance) = process.Predict(queries.Select(q => new[] { q }).ToList());
        for (int q = 0; q < queries.Length; q++)
        {
            var k = Points.Select(p => K(queries[q], p[0])).ToArray();
            double expectedMean = m, quadratic = 0;
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                {
                    expectedMean += k[i] * inverse[i, j] * residual[j];
                    quadratic += k[i] * inverse[i, j] * k[j];
                }
            Assert.Equal(expectedMean, mean[q], 10);
            Assert.Equal(2.0 - quadratic, variance[q], 10);
        }

        double dataFit = 0;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) dataFit += residual[i] * inverse[i, j] * residual[j];
        double expectedLml = -0.5 * dataFit - 0.5 * Math.Log(Determinant(matrix)) - 1.5 * Math.Log(2 * Math.PI);
        Assert.Equal(expectedLml, process.LogMarginalLikelihood, 10);
        Assert.Equal(m, process.PriorMean, 12);
        Assert.Equal(0, process.Jitter);
    }

    [Fact]
    public void GivenTheMatern52Kernel_WhenConditionedOnOnePoint_ThenTheVarianceFollowsTheMaternFormula()
    {
        using var process = new GaussianProcess([[0.0, 0.0]], [3.0], GaussianProcessKernel.Matern52, new([0.5, 2.0], 1.5, 0));
        var (mean, variance) = process.Predict([[0.3, 0.8]]);
        double r = Math.Sqrt(0.3 * 0.3 / 0.25 + 0.8 * 0.8 / 4.0);
        double k = 1.5 * (1 + Math.Sqrt(5) * r + 5 * r * r / 3) * Math.Exp(-Math.Sqrt(5) * r);
        Assert.Equal(1.5 - k * k / 1.5, variance[0], 10);
        Assert.Equal(3.0, mean[0], 12);
    }

    [Fact]
    public void GivenZeroVariance_WhenComputingExpectedImprovement_ThenItIsTheCertainImprovementOrZero()
    {
        Assert.Equal(0, ExpectedImprovement.Compute(mean: 0.8, variance: 0, best: 0.5));
        Assert.Equal(0, ExpectedImprovement.Compute(mean: 0.5, variance: 0, best: 0.5));
        Assert.Equal(0.3, ExpectedImprovement.Compute(mean: 0.2, variance: 0, best: 0.5), 12);
        Assert.Equal(1 / Math.Sqrt(2 * Math.PI), ExpectedImprovement.Compute(mean: 0.5, variance: 1, best: 0.5), 6);
        Assert.True(ExpectedImprovement.Compute(0.4, 0.01, 0.5) > ExpectedImprovement.Compute(0.6, 0.01, 0.5));
        Assert.True(ExpectedImprovement.Compute(0.6, 0.04, 0.5) > ExpectedImprovement.Compute(0.6, 0.01, 0.5));
        Assert.True(ExpectedImprovement.Compute(0.5, 1, 0.5, margin: 0.5) < ExpectedImprovement.Compute(0.5, 1, 0.5));

        // A noise-free GP is certain at its observations: no improvement is expected there.
        using var process = new GaussianProcess(Points, Values, GaussianProcessKernel.Matern52, Hyper with { NoiseVariance = 0 });
        var (mean, variance) = process.Predict(Points);
        for (int i = 0; i < 3; i++)
        {
            Assert.InRange(variance[i], 0, 1e-9);
            Assert.Equal(Values[i], mean[i], 7);
            Assert.InRange(ExpectedImprovement.Compute(mean[i], variance[i], Values.Min()), 0, 1e-6);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => ExpectedImprovement.Compute(0, -1, 0));
    }

    [Fact]
    public void GivenSmoothObservations_WhenHyperparametersAreFitted_ThenTheLikelihoodBeatsEveryStartAndTheFitInterpolates()
    {
        var points = Enumerable.Range(0, 12).Select(i => new[] { i / 11.0, (i * 7 % 12) / 11.0 }).ToList();
        var values = points.Select(p => Math.Sin(4 * p[0]) + 0.5 * p[1] * p[1]).ToList();
        using var fitted = GaussianProcessFitter.Fit(points, values, GaussianProcessKernel.Matern52, steps: 80);
        double variance = values.Average(v => (v - values.Average()) * (v - values.Average()));
        foreach (double length in new[] { 0.1, 0.3, 1.0 })
        {
            using var start = new GaussianProcess(points, values, GaussianProcessKernel.Matern52, new([length, length], variance, 1e-4 * variance));
            Assert.True(fitted.LogMarginalLikelihood >= start.LogMarginalLikelihood - 1e-9, $"fit {fitted.LogMarginalLikelihood} < start {start.LogMarginalLikelihood}");
        }
        Assert.All(fitted.Hyperparameters.LengthScales, l => Assert.InRange(l, 0.01, 10));
        var (mean, _) = fitted.Predict(points);
        for (int i = 0; i < points.Count; i++) Assert.Equal(values[i], mean[i], 1);
    }

    [Fact]
    public void GivenBadObservations_WhenConditioning_ThenErrorsNameTheProblem()
    {
        Assert.Contains("at least 1 observation", Assert.Throws<ArgumentException>(() => new GaussianProcess([], [], GaussianProcessKernel.Matern52, Hyper)).Message);
        Assert.Contains("one value per point", Assert.Throws<ArgumentException>(() => new GaussianProcess(Points, [1.0], GaussianProcessKernel.Matern52, Hyper)).Message);
        Assert.Contains("values[1]", Assert.Throws<ArgumentException>(() => new GaussianProcess(Points, [1, double.NaN, 2], GaussianProcessKernel.Matern52, Hyper)).Message);
        Assert.Contains("LengthScales", Assert.Throws<ArgumentException>(() => new GaussianProcess(Points, Values, GaussianProcessKernel.Matern52, Hyper with { LengthScales = [1, 2] })).Message);
        Assert.Contains("NoiseVariance", Assert.Throws<ArgumentException>(() => new GaussianProcess(Points, Values, GaussianProcessKernel.Matern52, Hyper with { NoiseVariance = -1 })).Message);
        Assert.Contains("points[1]", Assert.Throws<ArgumentException>(() => new GaussianProcess([[0.0], [0.1, 0.2]], [1, 2], GaussianProcessKernel.Matern52, Hyper)).Message);
        using var process = new GaussianProcess(Points, Values, GaussianProcessKernel.Matern52, Hyper);
        Assert.Contains("coordinates", Assert.Throws<ArgumentException>(() => process.Predict([[0.1, 0.2]])).Message);
    }

    private static double Determinant(double[,] a) =>
        a[0, 0] * (a[1, 1] * a[2, 2] - a[1, 2] * a[2, 1]) - a[0, 1] * (a[1, 0] * a[2, 2] - a[1, 2] * a[2, 0]) + a[0, 2] * (a[1, 0] * a[2, 1] - a[1, 1] * a[2, 0]);

    /// <summary>The 3x3 inverse by cofactors (adjugate over determinant).</summary>
    private static double[,] Invert(double[,] a)
    {
        double det = Determinant(a);
        var inverse = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
                inverse[i, j] = (a[r0, c0] * a[r1, c1] - a[r0, c1] * a[r1, c0]) / det;
            }
        return inverse;
    }
}
