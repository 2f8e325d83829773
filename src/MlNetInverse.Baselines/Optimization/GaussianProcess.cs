using MlNetInverse.Physics.Runtime;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.Optimization;

/// <summary>
/// Gaussian-process regression on TorchSharp (float64): a constant prior mean (the mean of the observations), an ARD
/// kernel and Gaussian observation noise, conditioned on n points through a Cholesky factor (torch.linalg.cholesky).
/// </summary>
/// <remarks>
/// With K = k(X, X) + noise I = L L^T and alpha = K^-1 (y - m): posterior mean m + k(x, X) alpha, posterior variance of
/// the latent function k(x, x) - |L^-1 k(X, x)|^2 (the noise not added), log marginal likelihood
/// -1/2 (y - m)^T alpha - sum log L_ii - n/2 log 2 pi. Hyper-parameters are given, or fitted by
/// <see cref="GaussianProcessFitter"/>.
/// </remarks>
public sealed class GaussianProcess : IDisposable
{
    private readonly Tensor _points;
    private readonly Tensor _cholesky;
    private readonly Tensor _alpha;
    private readonly Tensor _lengthScales;
    private readonly Tensor _signalVariance;

    /// <summary>Conditions a GP with <paramref name="hyperparameters"/> on the observations (<paramref name="points"/>, <paramref name="values"/>).</summary>
    /// <exception cref="ArgumentException">No points, points of different dimensions, non-finite values, or bad hyper-parameters.</exception>
    /// <exception cref="InvalidOperationException">The covariance is singular even with jitter.</exception>
    public GaussianProcess(IReadOnlyList<double[]> points, IReadOnlyList<double> values, GaussianProcessKernel kernel, GaussianProcessHyperparameters hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        if (!Enum.IsDefined(kernel)) throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "Kernel must be SquaredExponential or Matern52.");
        Dimension = CheckObservations(points, values);
        hyperparameters.Validate(Dimension);
        Kernel = kernel;
        Hyperparameters = hyperparameters;
        Count = points.Count;
        PriorMean = values.Average();

        using var scope = NewDisposeScope();
        var x = PointTensor(points, Dimension, nameof(points));
        var y = tensor(values.Select(v => v - PriorMean).ToArray(), [Count, 1], ScalarType.Float64);
        var lengthScales = tensor(hyperparameters.LengthScales.ToArray(), ScalarType.Float64);
        var signal = tensor(hyperparameters.SignalVariance, ScalarType.Float64);
        var covariance = KernelFunctions.Covariance(kernel, x, x, lengthScales, signal)
            .Plus(eye(Count, dtype: ScalarType.Float64).Times(hyperparameters.NoiseVariance));
        var cholesky = KernelFunctions.Cholesky(covariance, hyperparameters.SignalVariance, out double jitter);
        var alpha = cholesky_solve(y, cholesky);
        Jitter = jitter;
        LogMarginalLikelihood = -0.5 * y.mul(alpha).sum().item<double>()
            - cholesky.diagonal().log().sum().item<double>() - 0.5 * Count * Math.Log(2 * Math.PI);
        // The process owns these until Dispose, whatever dispose scope the caller is in.
        _points = x.DetachFromDisposeScope();
        _cholesky = cholesky.DetachFromDisposeScope();
        _alpha = alpha.DetachFromDisposeScope();
        _lengthScales = lengthScales.DetachFromDisposeScope();
        _signalVariance = signal.DetachFromDisposeScope();
    }

    /// <summary>Input dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Observations conditioned on.</summary>
    public int Count { get; }

    /// <summary>The covariance function.</summary>
    public GaussianProcessKernel Kernel { get; }

    /// <summary>The hyper-parameters in use.</summary>
    public GaussianProcessHyperparameters Hyperparameters { get; }

    /// <summary>The constant prior mean: the mean of the observed values.</summary>
    public double PriorMean { get; }

    /// <summary>Diagonal jitter the Cholesky factorisation needed (objective units squared; 0 when none).</summary>
    public double Jitter { get; }

    /// <summary>log p(y | X, hyper-parameters) (nats).</summary>
    public double LogMarginalLikelihood { get; }

    /// <summary>Posterior mean and variance (of the noise-free function) at <paramref name="points"/>.</summary>
    /// <exception cref="ArgumentException">Points of the wrong dimension or non-finite.</exception>
    public (double[] Mean, double[] Variance) Predict(IReadOnlyList<double[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0) return ([], []);
        using var scope = NewDisposeScope();
        var (mean, variance) = Predict(PointTensor(points, Dimension, nameof(points)));
        return (mean.data<double>().ToArray(), variance.data<double>().ToArray());
    }

    /// <summary>Posterior mean [m] and variance [m] at points [m, d] (float64; variance clamped at 0).</summary>
    internal (Tensor Mean, Tensor Variance) Predict(Tensor points)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var cross = KernelFunctions.Covariance(Kernel, _points, points, _lengthScales, _signalVariance);
        var mean = cross.t().matmul(_alpha).squeeze(1).Plus(PriorMean);
        var solved = linalg.solve_triangular(_cholesky, cross, upper: false);
        var variance = solved.Squared().sum(0L).neg().Plus(_signalVariance).clamp_min(HeldScalar.Of(0));
        return (mean.MoveToOuterDisposeScope(), variance.MoveToOuterDisposeScope());
    }

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        _points.Dispose();
        _cholesky.Dispose();
        _alpha.Dispose();
        _lengthScales.Dispose();
        _signalVariance.Dispose();
    }

    /// <summary>Checks points and values; returns the dimension.</summary>
    internal static int CheckObservations(IReadOnlyList<double[]> points, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(values);
        if (points.Count == 0) throw new ArgumentException("A Gaussian process needs at least 1 observation; got none.", nameof(points));
        if (values.Count != points.Count)
            throw new ArgumentException($"values must hold one value per point ({points.Count}); got {values.Count}.", nameof(values));
        for (int i = 0; i < values.Count; i++)
            if (!double.IsFinite(values[i])) throw new ArgumentException($"values[{i}] is {values[i]}; observations must be finite.", nameof(values));
        int dimension = points[0]?.Length ?? 0;
        if (dimension < 1) throw new ArgumentException("points[0] is empty; points need at least 1 coordinate.", nameof(points));
        return dimension;
    }

    /// <summary>Points as a float64 tensor [m, d].</summary>
    internal static Tensor PointTensor(IReadOnlyList<double[]> points, int dimension, string name)
    {
        var flat = new double[points.Count * dimension];
        for (int i = 0; i < points.Count; i++)
        {
            var point = points[i] ?? throw new ArgumentException($"{name}[{i}] is null.", name);
            if (point.Length != dimension)
                throw new ArgumentException($"{name}[{i}] has {point.Length} coordinates; every point needs {dimension}.", name);
            for (int j = 0; j < dimension; j++)
            {
                if (!double.IsFinite(point[j])) throw new ArgumentException($"{name}[{i}][{j}] is {point[j]}; coordinates must be finite.", name);
                flat[i * dimension + j] = point[j];
            }
        }
        return tensor(flat, [points.Count, dimension], ScalarType.Float64);
    }
}
