namespace MlNetInverse.Baselines.Optimization;

/// <summary>Covariance function of a <see cref="GaussianProcess"/>, with one length scale per input dimension (ARD).</summary>
public enum GaussianProcessKernel
{
    /// <summary>Squared exponential (RBF): s^2 exp(-r^2 / 2), r the length-scaled distance. Infinitely smooth.</summary>
    SquaredExponential,

    /// <summary>Matern 5/2: s^2 (1 + sqrt(5) r + 5 r^2 / 3) exp(-sqrt(5) r). Twice differentiable; the usual choice for BO.</summary>
    Matern52,
}
