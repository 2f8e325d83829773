using MlNetInverse.Baselines.Shared;
using MlNetInverse.Physics.Datasets;

namespace MlNetInverse.Baselines.Optimization;

/// <summary>Settings of the optimisation-based inverse baseline (<see cref="OptimizationInverseMethod"/>).</summary>
public sealed record OptimizationInverseOptions
{
    /// <summary>The GRF parameter box searched. Default <see cref="GrfParameterRanges"/>' defaults, the shipped dataset's box.</summary>
    public GrfParameterRanges Ranges { get; init; } = new();

    /// <summary>Edge length of the candidate maps (pixels). Default 64.</summary>
    public int ImageSize { get; init; } = 64;

    /// <summary>The Bayesian optimisation. Default: 250 simulations (the paper's number), 10 of them random, Matern 5/2 GP.</summary>
    public BayesianOptimizationOptions Optimizer { get; init; } = new();

    /// <summary>
    /// Realise every candidate from the same GRF noise (one seed per run, derived from the generation seed). Default
    /// true: the objective is then a deterministic, nearly continuous function of the three parameters, which is what a
    /// GP models; false gives each candidate its own noise seed, and realisation-to-realisation scatter becomes noise
    /// the GP must average out.
    /// </summary>
    public bool SameRealizationForAllCandidates { get; init; } = true;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and what is allowed.</exception>
    public void Validate()
    {
        const string owner = nameof(OptimizationInverseOptions);
        if (Ranges is null) throw BaselineArguments.BadOption(owner, nameof(Ranges), "null", "GRF parameter ranges");
        if (Optimizer is null) throw BaselineArguments.BadOption(owner, nameof(Optimizer), "null", "Bayesian optimisation options");
        if (ImageSize < 4 || ImageSize % 2 != 0) throw BaselineArguments.BadOption(owner, nameof(ImageSize), ImageSize, "even and at least 4 (the GRF k-grid)");
        Ranges.Validate(ImageSize);
        Optimizer.Validate();
    }
}
