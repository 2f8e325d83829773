using static TorchSharp.torch;

namespace MlNetInverse.Models.Mdn;

/// <summary>A batch of Gaussian mixtures: for each of B targets, K diagonal Gaussians over an L-dimensional latent.</summary>
/// <param name="LogWeights">Log mixture weights [B, K] (log-softmax: each row's exp sums to 1).</param>
/// <param name="Means">Component means [B, K, L].</param>
/// <param name="Sigmas">Component standard deviations [B, K, L] (not variances), all &gt; 0.</param>
/// <remarks>
/// <see cref="MixtureDensityNetwork.forward"/> returns mixtures in normalised latent units;
/// <see cref="MixtureDensityNetwork.Mixture"/> returns them in raw latent units (the same Gaussians, rescaled).
/// </remarks>
public sealed record MdnOutput(Tensor LogWeights, Tensor Means, Tensor Sigmas) : IDisposable
{
    /// <summary>Targets B.</summary>
    public long Count => LogWeights.shape[0];

    /// <summary>Components K.</summary>
    public long Components => LogWeights.shape[1];

    /// <summary>Latent dimension L.</summary>
    public long LatentDimension => Means.shape[2];

    /// <summary>Moves all three tensors to the enclosing dispose scope (see TorchSharp's memory guide).</summary>
    public MdnOutput MoveToOuterDisposeScope()
    {
        LogWeights.MoveToOuterDisposeScope();
        Means.MoveToOuterDisposeScope();
        Sigmas.MoveToOuterDisposeScope();
        return this;
    }

    /// <summary>Disposes the three tensors.</summary>
    public void Dispose()
    {
        LogWeights.Dispose();
        Means.Dispose();
        Sigmas.Dispose();
    }
}
