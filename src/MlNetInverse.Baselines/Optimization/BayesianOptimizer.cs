using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Runtime;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.Optimization;

/// <summary>
/// Bayesian optimisation (Shahriari et al. 2016) of an expensive function on the unit cube [0, 1]^d: a few uniformly
/// random points, then each iteration fits a GP (<see cref="GaussianProcessFitter"/>) to everything seen and evaluates
/// the candidate of largest expected improvement, until the budget is spent.
/// </summary>
/// <remarks>
/// Candidates per iteration: <see cref="BayesianOptimizationOptions.RandomCandidates"/> uniform points plus
/// <see cref="BayesianOptimizationOptions.LocalCandidates"/> Gaussian steps around each of the 5 best points; the first
/// of equal maxima wins. Random numbers come from seeded SplitMix64 streams and torch runs on one thread, so the same
/// seed and objective give the same run.
/// </remarks>
public sealed class BayesianOptimizer
{
    private const int LocalCentres = 5;
    private const double LocalStep = 0.05;

    /// <summary>Creates an optimiser.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public BayesianOptimizer(BayesianOptimizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The settings.</summary>
    public BayesianOptimizationOptions Options { get; }

    /// <summary>Minimises <paramref name="objective"/> over [0, 1]^<paramref name="dimension"/> with <see cref="BayesianOptimizationOptions.Budget"/> evaluations.</summary>
    /// <param name="dimension">Input dimension d (at least 1).</param>
    /// <param name="objective">Evaluates a batch of points (unit-cube coordinates), returning one finite value each.</param>
    /// <param name="seed">Seed of the initial design and the candidates.</param>
    /// <param name="progress">Receives every evaluation.</param>
    /// <param name="cancellationToken">Checked before every evaluation.</param>
    /// <exception cref="ArgumentException">A bad dimension, or the objective returned a wrong count or a non-finite value.</exception>
    public BayesianOptimizationResult Minimize(
        int dimension, Func<IReadOnlyList<double[]>, double[]> objective, long seed,
        IProgress<OptimizationStep>? progress = null, CancellationToken cancellationToken = default)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Optimise over at least 1 dimension.");
        ArgumentNullException.ThrowIfNull(objective);
        using var threads = new TorchThreadScope(1);
        var history = new List<OptimizationStep>();

        var initial = new double[Options.InitialPoints][];
        for (int i = 0; i < initial.Length; i++)
        {
            var random = new SeededRandom(seed, BaselineRandom.InitialDesign, i);
            initial[i] = Enumerable.Range(0, dimension).Select(_ => random.NextDouble()).ToArray();
        }
        cancellationToken.ThrowIfCancellationRequested();
        var values = Evaluate(objective, initial);
        for (int i = 0; i < initial.Length; i++) Record(history, initial[i], values[i], true, double.NaN, progress);

        GaussianProcessHyperparameters? hyperparameters = null;
        for (int iteration = 0; history.Count < Options.Budget; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var points = history.Select(s => s.Point.ToArray()).ToList();
            var observed = history.Select(s => s.Value).ToList();
            using var process = GaussianProcessFitter.Fit(points, observed, Options.Kernel, Options.HyperparameterSteps, hyperparameters);
            hyperparameters = process.Hyperparameters;
            var (next, improvement) = NextPoint(process, history, dimension, seed, iteration);
            Record(history, next, Evaluate(objective, [next])[0], false, improvement, progress);
        }
        return new BayesianOptimizationResult(history, hyperparameters);
    }

    /// <summary>The candidate of largest expected improvement, and that improvement.</summary>
    private (double[] Point, double Improvement) NextPoint(GaussianProcess process, List<OptimizationStep> history, int dimension, long seed, int iteration)
    {
        var random = new SeededRandom(seed, BaselineRandom.AcquisitionCandidates, iteration);
        var candidates = new List<double[]>(Options.RandomCandidates + LocalCentres * Options.LocalCandidates);
        for (int i = 0; i < Options.RandomCandidates; i++) candidates.Add(Enumerable.Range(0, dimension).Select(_ => random.NextDouble()).ToArray());
        var steps = new float[dimension];
        foreach (var centre in history.OrderBy(s => s.Value).ThenBy(s => s.Index).Take(LocalCentres))
        {
            for (int i = 0; i < Options.LocalCandidates; i++)
            {
                Models.Mdn.MixtureSampler.StandardNormals(random, steps);
                candidates.Add(Enumerable.Range(0, dimension).Select(j => Math.Clamp(centre.Point[j] + LocalStep * steps[j], 0, 1)).ToArray());
            }
        }

        double best = history.Min(s => s.Value);
        using var scope = NewDisposeScope();
        var (mean, variance) = process.Predict(GaussianProcess.PointTensor(candidates, dimension, nameof(candidates)));
        var improvement = ExpectedImprovement.Compute(mean, variance, best, Options.ExplorationMargin).data<double>().ToArray();
        int chosen = 0;
        for (int i = 1; i < improvement.Length; i++)
            if (improvement[i] > improvement[chosen]) chosen = i;
        return (candidates[chosen], improvement[chosen]);
    }

    private static double[] Evaluate(Func<IReadOnlyList<double[]>, double[]> objective, IReadOnlyList<double[]> points)
    {
        var values = objective(points) ?? throw new ArgumentException("The objective returned null.", nameof(objective));
        if (values.Length != points.Count)
            throw new ArgumentException($"The objective returned {values.Length} values for {points.Count} points.", nameof(objective));
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"The objective returned {values[i]} at [{string.Join(", ", points[i])}]; values must be finite.", nameof(objective));
        return values;
    }

    private static void Record(List<OptimizationStep> history, double[] point, double value, bool initial, double improvement, IProgress<OptimizationStep>? progress)
    {
        var step = new OptimizationStep(history.Count, point, value, initial, improvement);
        history.Add(step);
        progress?.Report(step);
    }
}
