using MlNetInverse.Physics.Runtime;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.Optimization;

/// <summary>The covariance functions of <see cref="GaussianProcessKernel"/> on float64 tensors (differentiable in the hyper-parameters).</summary>
internal static class KernelFunctions
{
    private static readonly double Sqrt5 = Math.Sqrt(5);

    /// <summary>k(a_i, b_j) [n, m] for points a [n, d], b [m, d], length scales [d] and signal variance (a scalar tensor).</summary>
    public static Tensor Covariance(GaussianProcessKernel kernel, Tensor a, Tensor b, Tensor lengthScales, Tensor signalVariance)
    {
        using var scope = NewDisposeScope();
        // Differences rather than |a|^2 + |b|^2 - 2ab: no cancellation, so r^2 is never negative and k(x, x) = s^2 exactly.
        var squared = a.unsqueeze(1).sub(b.unsqueeze(0)).div(lengthScales).Squared().sum(-1);
        Tensor shape = kernel switch
        {
            GaussianProcessKernel.SquaredExponential => squared.mul(HeldScalar.Of(-0.5)).exp(),
            // The clamp keeps the gradient of sqrt finite at r = 0 (the diagonal); it changes r by at most 1e-15.
            GaussianProcessKernel.Matern52 => Matern52(squared.clamp_min(HeldScalar.Of(1e-30)).sqrt(), squared),
            _ => throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "Kernel must be SquaredExponential or Matern52."),
        };
        return shape.mul(signalVariance).MoveToOuterDisposeScope();
    }

    private static Tensor Matern52(Tensor r, Tensor squared)
    {
        var scaled = r.mul(HeldScalar.Of(Sqrt5));
        return scaled.Plus(HeldScalar.Of(1)).Plus(squared.mul(HeldScalar.Of(5.0 / 3.0))).mul(scaled.neg().exp());
    }

    /// <summary>
    /// Lower Cholesky factor of <paramref name="covariance"/>; when it is not numerically positive definite, jitter
    /// (1e-10, 1e-8 ... 1e-4 times <paramref name="scale"/>) is added to the diagonal until it is.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not positive definite even with the largest jitter.</exception>
    public static Tensor Cholesky(Tensor covariance, double scale, out double jitter)
    {
        jitter = 0;
        long n = covariance.shape[0];
        for (int attempt = 0; attempt <= 4; attempt++)
        {
            using var scope = NewDisposeScope();
            var matrix = jitter == 0 ? covariance : covariance.Plus(eye(n, dtype: ScalarType.Float64, device: covariance.device).Times(jitter));
            var (factor, info) = linalg.cholesky_ex(matrix);
            if (info.item<int>() == 0) return factor.MoveToOuterDisposeScope();
            jitter = scale * Math.Pow(10, -10 + 2 * attempt);
        }
        throw new InvalidOperationException(
            $"The {n} x {n} Gaussian-process covariance is not positive definite even with jitter {jitter:g3} on its diagonal (duplicate points with zero noise?).");
    }
}
