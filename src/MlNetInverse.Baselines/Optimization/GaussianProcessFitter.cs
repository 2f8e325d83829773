using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.Optimization;

/// <summary>
/// Fits <see cref="GaussianProcessHyperparameters"/> by maximising the log marginal likelihood: a small grid of
/// isotropic starts (length scale 0.1, 0.3, 1; noise 1e-4 or 1e-2 of the data variance; plus a warm start), then
/// Adam on the log hyper-parameters with gradients through torch.linalg.cholesky, kept inside bounds that suit
/// inputs scaled to [0, 1]: length scales 0.01..10, signal variance 1e-3..1e3 and noise 1e-6..1 times the data variance.
/// </summary>
/// <remarks>Deterministic: no random restarts, and the best likelihood seen along the way is returned.</remarks>
public static class GaussianProcessFitter
{
    private const double MinLengthScale = 0.01, MaxLengthScale = 10;

    /// <summary>Fits the hyper-parameters to (<paramref name="points"/>, <paramref name="values"/>) and returns the conditioned GP.</summary>
    /// <param name="points">Inputs (ideally scaled to [0, 1]).</param>
    /// <param name="values">Observed values.</param>
    /// <param name="kernel">Covariance function.</param>
    /// <param name="steps">Adam steps after the grid (steps). Default 60; 0 keeps the best grid point.</param>
    /// <param name="warmStart">Hyper-parameters to try first (e.g. the previous iteration's), or null.</param>
    /// <exception cref="ArgumentException">Bad observations or a negative step count.</exception>
    public static GaussianProcess Fit(
        IReadOnlyList<double[]> points, IReadOnlyList<double> values, GaussianProcessKernel kernel, int steps = 60, GaussianProcessHyperparameters? warmStart = null)
    {
        int d = GaussianProcess.CheckObservations(points, values);
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Adam steps must be 0 or more.");
        double mean = values.Average();
        double variance = values.Average(v => (v - mean) * (v - mean));
        if (!(variance > 1e-300)) variance = 1;
        var lower = Bounds(d, variance, upper: false);
        var upper = Bounds(d, variance, upper: true);

        var best = BestLogHyperparameters(points, values, kernel, steps, warmStart, d, variance, lower, upper);
        var hyperparameters = new GaussianProcessHyperparameters(best[..d].Select(Math.Exp).ToArray(), Math.Exp(best[d]), Math.Exp(best[d + 1]));
        // Conditioned outside any dispose scope of this method, so its tensors outlive the call.
        return new GaussianProcess(points, values, kernel, hyperparameters);
    }

    /// <summary>The grid's best start refined by Adam: log hyper-parameters [log l_1..d, log s^2, log noise].</summary>
    private static double[] BestLogHyperparameters(
        IReadOnlyList<double[]> points, IReadOnlyList<double> values, GaussianProcessKernel kernel, int steps,
        GaussianProcessHyperparameters? warmStart, int d, double variance, double[] lower, double[] upper)
    {
        double mean = values.Average();
        using var scope = NewDisposeScope();
        var x = GaussianProcess.PointTensor(points, d, nameof(points));
        var y = tensor(values.Select(v => v - mean).ToArray(), [values.Count, 1], ScalarType.Float64);
        var starts = new List<double[]>();
        if (warmStart is not null && warmStart.LengthScales.Count == d)
            starts.Add([.. warmStart.LengthScales.Select(v => Math.Log(v)), Math.Log(warmStart.SignalVariance), Math.Log(Math.Max(warmStart.NoiseVariance, 1e-300))]);
        foreach (double length in new[] { 0.1, 0.3, 1.0 })
            foreach (double noise in new[] { 1e-4, 1e-2 })
                starts.Add([.. Enumerable.Repeat(Math.Log(length), d), Math.Log(variance), Math.Log(noise * variance)]);

        double[] best = starts[0];
        double bestValue = double.PositiveInfinity;
        foreach (var start in starts)
        {
            var clamped = Clamp(start, lower, upper);
            double value = NegativeLogLikelihood(kernel, x, y, clamped, variance);
            if (value < bestValue) (best, bestValue) = (clamped, value);
        }

        using var theta = new TorchSharp.Modules.Parameter(tensor(best, ScalarType.Float64), requires_grad: true);
        using (var optimizer = new HeldScalarAdam([theta], 0.05))
        using (var lowerBound = tensor(lower, ScalarType.Float64))
        using (var upperBound = tensor(upper, ScalarType.Float64))
        {
            for (int step = 0; step < steps; step++)
            {
                using var stepScope = NewDisposeScope();
                optimizer.zero_grad();
                Tensor loss;
                try
                {
                    loss = NegativeLogLikelihood(kernel, x, y, theta, variance);
                }
                catch (InvalidOperationException)
                {
                    break; // stepped into a singular region: keep the best point seen so far
                }
                double value = loss.item<double>();
                if (double.IsFinite(value) && value < bestValue)
                    (best, bestValue) = (theta.detach().data<double>().ToArray(), value);
                loss.Backpropagate();
                optimizer.step();
                using var noGrad = no_grad();
                theta.copy_(theta.clamp(lowerBound, upperBound));
            }
        }
        double finalValue = NegativeLogLikelihood(kernel, x, y, theta.detach().data<double>().ToArray(), variance);
        if (finalValue < bestValue) best = theta.detach().data<double>().ToArray();
        return best;
    }

    /// <summary>-log marginal likelihood of centred values y [n, 1] for log hyper-parameters theta = [log l_1..d, log s^2, log noise].</summary>
    private static Tensor NegativeLogLikelihood(GaussianProcessKernel kernel, Tensor x, Tensor y, Tensor theta, double variance)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0], d = x.shape[1];
        var lengthScales = theta.narrow(0, 0, d).exp();
        var signal = theta[d].exp();
        var noise = theta[d + 1].exp();
        var covariance = KernelFunctions.Covariance(kernel, x, x, lengthScales, signal)
            .Plus(eye(n, dtype: ScalarType.Float64).mul(noise));
        var cholesky = KernelFunctions.Cholesky(covariance, variance, out _);
        var alpha = cholesky_solve(y, cholesky);
        return y.mul(alpha).sum().mul(HeldScalar.Of(0.5)).Plus(cholesky.diagonal().log().sum()).Plus(0.5 * n * Math.Log(2 * Math.PI)).MoveToOuterDisposeScope();
    }

    private static double NegativeLogLikelihood(GaussianProcessKernel kernel, Tensor x, Tensor y, double[] theta, double variance)
    {
        using var noGrad = no_grad();
        using var values = tensor(theta, ScalarType.Float64);
        try
        {
            using var loss = NegativeLogLikelihood(kernel, x, y, values, variance);
            return loss.item<double>();
        }
        catch (InvalidOperationException)
        {
            return double.PositiveInfinity; // singular even with jitter: never the best start
        }
    }

    private static double[] Bounds(int d, double variance, bool upper) =>
    [
        .. Enumerable.Repeat(Math.Log(upper ? MaxLengthScale : MinLengthScale), d),
        Math.Log(upper ? 1e3 * variance : 1e-3 * variance),
        Math.Log(upper ? variance : 1e-6 * variance),
    ];

    private static double[] Clamp(double[] theta, double[] lower, double[] upper) =>
        theta.Select((v, i) => Math.Clamp(v, lower[i], upper[i])).ToArray();
}
