namespace MlNetInverse.Baselines.Optimization;

/// <summary>The outcome of <see cref="BayesianOptimizer.Minimize"/>.</summary>
/// <param name="History">Every evaluation in order (its count is the evaluations spent).</param>
/// <param name="FinalHyperparameters">The GP hyper-parameters of the last iteration (null when only initial points were evaluated).</param>
public sealed record BayesianOptimizationResult(IReadOnlyList<OptimizationStep> History, GaussianProcessHyperparameters? FinalHyperparameters)
{
    /// <summary>The evaluation with the smallest value (the first one on ties).</summary>
    public OptimizationStep Best => History.MinBy(s => s.Value) ?? throw new InvalidOperationException("No evaluations.");

    /// <summary>Evaluations spent.</summary>
    public int Evaluations => History.Count;
}
