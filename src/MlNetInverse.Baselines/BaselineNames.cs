namespace MlNetInverse.Baselines;

/// <summary>The names the methods go by on the command line (<c>evaluate --methods ...</c>) and in reports.</summary>
public static class BaselineNames
{
    /// <summary>PCA of the images plus an MDN from absorption to the principal-component coefficients.</summary>
    public const string PcaMdn = "pca-mdn";

    /// <summary>A DCGAN plus an MDN from absorption to the GAN latent.</summary>
    public const string GanMdn = "gan-mdn";

    /// <summary>The MDN-based deep learning inverse model: MDN and image decoder trained jointly, end to end.</summary>
    public const string MdnInverse = "mdn-inverse";

    /// <summary>Bayesian optimisation over the three GRF parameters, judged by RCWA.</summary>
    public const string Optimization = "optimization";

    /// <summary>The four baselines in Table I order.</summary>
    public static IReadOnlyList<string> All { get; } = [GanMdn, PcaMdn, MdnInverse, Optimization];
}
