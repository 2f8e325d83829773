using MlNetInverse.Baselines.Shared;

namespace MlNetInverse.Baselines.Optimization;

/// <summary>Settings of a <see cref="BayesianOptimizer"/> run on the unit cube.</summary>
public sealed record BayesianOptimizationOptions
{
    /// <summary>Objective evaluations in all, initial points included (evaluations). Default 250, the paper's number of simulations.</summary>
    public int Budget { get; init; } = 250;

    /// <summary>Uniformly random points evaluated before the GP guides the search (evaluations). Default 10.</summary>
    public int InitialPoints { get; init; } = 10;

    /// <summary>Covariance function of the GP surrogate. Default <see cref="GaussianProcessKernel.Matern52"/>.</summary>
    public GaussianProcessKernel Kernel { get; init; } = GaussianProcessKernel.Matern52;

    /// <summary>
    /// Adam steps on the log marginal likelihood per iteration, warm-started from the previous iteration (steps).
    /// Default 30; 0 keeps the best point of the start grid.
    /// </summary>
    public int HyperparameterSteps { get; init; } = 30;

    /// <summary>Uniformly random candidates scored by expected improvement per iteration (points). Default 1000.</summary>
    public int RandomCandidates { get; init; } = 1000;

    /// <summary>
    /// Candidates drawn around each of the 5 best points so far per iteration (points; Gaussian steps of 0.05 in each
    /// unit coordinate, clipped to the cube), so the acquisition can refine a good region. Default 100.
    /// </summary>
    public int LocalCandidates { get; init; } = 100;

    /// <summary>Improvement that does not count in the expected improvement (objective units, &gt;= 0). Default 0.</summary>
    public double ExplorationMargin { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and what is allowed.</exception>
    public void Validate()
    {
        const string owner = nameof(BayesianOptimizationOptions);
        if (InitialPoints < 1) throw BaselineArguments.BadOption(owner, nameof(InitialPoints), InitialPoints, "at least 1");
        if (Budget < InitialPoints) throw BaselineArguments.BadOption(owner, nameof(Budget), Budget, $"at least InitialPoints ({InitialPoints})");
        if (!Enum.IsDefined(Kernel)) throw BaselineArguments.BadOption(owner, nameof(Kernel), Kernel, "SquaredExponential or Matern52");
        if (HyperparameterSteps < 0) throw BaselineArguments.BadOption(owner, nameof(HyperparameterSteps), HyperparameterSteps, "0 or more");
        if (RandomCandidates < 1) throw BaselineArguments.BadOption(owner, nameof(RandomCandidates), RandomCandidates, "at least 1");
        if (LocalCandidates < 0) throw BaselineArguments.BadOption(owner, nameof(LocalCandidates), LocalCandidates, "0 or more");
        if (!(ExplorationMargin >= 0 && double.IsFinite(ExplorationMargin))) throw BaselineArguments.BadOption(owner, nameof(ExplorationMargin), ExplorationMargin, "finite and >= 0");
    }
}
