using MlNetInverse.Baselines.Optimization;
using MlNetInverse.Tests.Models;

namespace MlNetInverse.Tests.Baselines;

[Collection(TorchDeterminismCollection.Name)]
public sealed class BayesianOptimizerTests
{
    private static readonly double[] Centre = [0.3, 0.7, 0.55];

    /// <summary>A tilted 3-D quadratic bowl with its minimum 0 at <see cref="Centre"/>.</summary>
    private static double Bowl(double[] x) => (x[0] - Centre[0]) * (x[0] - Centre[0]) + 2 * (x[1] - Centre[1]) * (x[1] - Centre[1])
        + 0.5 * (x[2] - Centre[2]) * (x[2] - Centre[2]) + 0.5 * (x[0] - Centre[0]) * (x[2] - Centre[2]);

    /// <summary>Branin on [-5, 10] x [0, 15] scaled from the unit square; global minimum 0.397887 (three of them).</summary>
    private static double Branin(double[] u)
    {
        double x = -5 + 15 * u[0], y = 15 * u[1];
        double a = y - 5.1 / (4 * Math.PI * Math.PI) * x * x + 5 / Math.PI * x - 6;
        return a * a + 10 * (1 - 1 / (8 * Math.PI)) * Math.Cos(x) + 10;
    }

    private static Func<IReadOnlyList<double[]>, double[]> Batch(Func<double[], double> f) => points => points.Select(f).ToArray();

    private static BayesianOptimizationOptions Options(int budget) => new() { Budget = budget, InitialPoints = 6, HyperparameterSteps = 20, RandomCandidates = 500, LocalCandidates = 50 };

    private static double RandomSearch(Func<double[], double> f, int dimension, int budget, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, budget).Min(_ => f(Enumerable.Range(0, dimension).Select(_ => random.NextDouble()).ToArray()));
    }

    [Fact]
    public void GivenAQuadraticBowl_WhenMinimisedWithASmallBudget_ThenTheMinimumIsFound_AndBoBeatsRandomSearchOnAverage()
    {
        var optimizer = new BayesianOptimizer(Options(budget: 30));
        var bo = new List<double>();
        var random = new List<double>();
        for (int seed = 1; seed <= 3; seed++)
        {
            var result = optimizer.Minimize(3, Batch(Bowl), seed);
            Assert.Equal(30, result.Evaluations);
            Assert.Equal(6, result.History.Count(s => s.IsInitial));
            Assert.All(result.History.Where(s => !s.IsInitial), s => Assert.True(s.ExpectedImprovement >= 0));
            Assert.All(result.History, s => Assert.All(s.Point, c => Assert.InRange(c, 0, 1)));
            bo.Add(result.Best.Value);
            random.Add(RandomSearch(Bowl, 3, 30, seed));
            var best = result.Best.Point;
            for (int j = 0; j < 3; j++) Assert.InRange(best[j], Centre[j] - 0.1, Centre[j] + 0.1);
        }
        Assert.True(bo.Max() < 2e-3, $"BO best values {string.Join(", ", bo)}");
        Assert.True(bo.Average() < 0.25 * random.Average(), $"BO {string.Join(", ", bo)} vs random search {string.Join(", ", random)}");
    }

    [Fact]
    public void GivenBranin_WhenMinimised_ThenBoGetsCloseToTheGlobalMinimum()
    {
        var result = new BayesianOptimizer(Options(budget: 35)).Minimize(2, Batch(Branin), seed: 4);
        Assert.InRange(result.Best.Value, 0.397887, 0.5);
        Assert.NotNull(result.FinalHyperparameters);
    }

    [Fact]
    public void GivenTheSameSeed_WhenMinimisingTwice_ThenTheRunsAreIdentical_AndProgressSeesEveryEvaluation()
    {
        var progress = new TrainingTestData.SynchronousProgress<OptimizationStep>();
        var first = new BayesianOptimizer(Options(budget: 12)).Minimize(3, Batch(Bowl), seed: 9, progress);
        var second = new BayesianOptimizer(Options(budget: 12)).Minimize(3, Batch(Bowl), seed: 9);
        Assert.Equal(first.History.Select(s => s.Value), second.History.Select(s => s.Value));
        Assert.Equal(first.History.SelectMany(s => s.Point), second.History.SelectMany(s => s.Point));
        Assert.Equal(12, progress.Reports.Count);
        var other = new BayesianOptimizer(Options(budget: 12)).Minimize(3, Batch(Bowl), seed: 10);
        Assert.NotEqual(first.History[0].Point, other.History[0].Point);
    }

    [Fact]
    public void GivenBadSettingsOrObjective_WhenMinimising_ThenErrorsNameTheProblem()
    {
        Assert.Contains("Budget", Assert.ThrowsAny<ArgumentException>(() => new BayesianOptimizer(Options(budget: 3))).Message);
        Assert.Contains("InitialPoints", Assert.ThrowsAny<ArgumentException>(() => new BayesianOptimizer(Options(10) with { InitialPoints = 0 })).Message);
        var optimizer = new BayesianOptimizer(Options(budget: 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.Minimize(0, Batch(Bowl), 1));
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => optimizer.Minimize(3, Batch(_ => double.NaN), 1)).Message);
        Assert.Contains("returned 1 values for 6 points", Assert.Throws<ArgumentException>(() => optimizer.Minimize(3, _ => [1.0], 1)).Message);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => optimizer.Minimize(3, Batch(Bowl), 1, cancellationToken: cancelled.Token));
    }
}
