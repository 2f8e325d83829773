using MlNetInverse.Physics.Runtime;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.Optimization;

/// <summary>
/// Expected improvement for minimisation (Jones et al. 1998): with improvement I = best - margin - mu and s the
/// posterior standard deviation, EI = I Phi(I / s) + s phi(I / s); where s is 0 the outcome is certain and EI = max(I, 0).
/// </summary>
public static class ExpectedImprovement
{
    /// <summary>Standard deviations at or below this count as zero (objective units).</summary>
    public const double ZeroDeviation = 1e-12;

    private static readonly double InverseSqrtTwoPi = 1 / Math.Sqrt(2 * Math.PI);

    /// <summary>EI of one point with posterior <paramref name="mean"/> and <paramref name="variance"/> against the best value so far.</summary>
    /// <param name="mean">Posterior mean (objective units).</param>
    /// <param name="variance">Posterior variance (objective units squared, &gt;= 0).</param>
    /// <param name="best">Smallest value observed so far.</param>
    /// <param name="margin">Improvement that does not count (objective units, &gt;= 0; larger explores more). Default 0.</param>
    /// <exception cref="ArgumentException">A non-finite input, a negative variance or a negative margin.</exception>
    public static double Compute(double mean, double variance, double best, double margin = 0)
    {
        if (!double.IsFinite(mean)) throw new ArgumentOutOfRangeException(nameof(mean), mean, "The posterior mean must be finite.");
        if (!(variance >= 0 && double.IsFinite(variance))) throw new ArgumentOutOfRangeException(nameof(variance), variance, "The posterior variance must be finite and >= 0.");
        if (!double.IsFinite(best)) throw new ArgumentOutOfRangeException(nameof(best), best, "The best value must be finite.");
        if (!(margin >= 0 && double.IsFinite(margin))) throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin must be finite and >= 0.");
        using var scope = NewDisposeScope();
        return Compute(tensor(new[] { mean }), tensor(new[] { variance }), best, margin).item<double>();
    }

    /// <summary>EI [m] (float64) for posterior means and variances [m].</summary>
    internal static Tensor Compute(Tensor mean, Tensor variance, double best, double margin)
    {
        using var scope = NewDisposeScope();
        var improvement = mean.neg().Plus(best - margin);
        var deviation = variance.clamp_min(HeldScalar.Of(0)).sqrt();
        var certain = deviation.le(HeldScalar.Of(ZeroDeviation));
        var safeDeviation = where(certain, ones_like(deviation), deviation);
        var z = improvement.div(safeDeviation);
        var density = z.Squared().mul(HeldScalar.Of(-0.5)).exp().mul(HeldScalar.Of(InverseSqrtTwoPi));
        var uncertain = improvement.mul(special.ndtr(z)).Plus(safeDeviation.mul(density));
        return where(certain, improvement.clamp_min(HeldScalar.Of(0)), uncertain.clamp_min(HeldScalar.Of(0))).MoveToOuterDisposeScope();
    }
}
