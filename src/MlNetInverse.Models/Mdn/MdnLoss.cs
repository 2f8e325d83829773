using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Mdn;

/// <summary>The mixture likelihood that trains and evaluates a <see cref="MixtureDensityNetwork"/> (paper eq. 7).</summary>
internal static class MdnLoss
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>
    /// log p(y | mixture) per target [B]: log-sum-exp over k of log pi_k + sum over l of log N(y_l; mu_kl, sigma_kl),
    /// with sigma the standard deviation. Log-sum-exp keeps it finite when every component density underflows.
    /// </summary>
    /// <param name="mixture">B mixtures.</param>
    /// <param name="targets">Latents [B, L] in the mixture's units.</param>
    public static Tensor LogLikelihood(MdnOutput mixture, Tensor targets)
    {
        using var scope = NewDisposeScope();
        return Components(mixture, targets).WeightedLog.logsumexp(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Each target against each component: the standardised residuals z = (y - mu_k) / sigma_k [B, K, L] and
    /// log pi_k + sum over l of log N(y_l; mu_kl, sigma_kl) [B, K], the terms <see cref="LogLikelihood"/> sums.
    /// </summary>
    public static (Tensor Standardised, Tensor WeightedLog) Components(MdnOutput mixture, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var z = targets.unsqueeze(1).sub(mixture.Means).div(mixture.Sigmas);
        var componentLog = z.Squared().mul(HeldScalar.Of(-0.5)).sub(mixture.Sigmas.log()).sum(2).sub(HeldScalar.Of(HalfLogTwoPi * targets.shape[1]));
        return (z.MoveToOuterDisposeScope(), componentLog.Plus(mixture.LogWeights).MoveToOuterDisposeScope());
    }

    /// <summary>Mean negative log-likelihood over the batch: the training loss.</summary>
    public static Tensor NegativeLogLikelihood(MdnOutput mixture, Tensor targets)
    {
        using var scope = NewDisposeScope();
        return LogLikelihood(mixture, targets).mean().neg().MoveToOuterDisposeScope();
    }
}
