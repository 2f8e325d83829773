using MlNetInverse.Baselines.Optimization;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The optimisation baseline: a Bayesian-optimisation search per target that spends its whole RCWA budget (paper:
/// 250 designs) and returns its best distinct maps, whose RCWA absorption it already knows. Its min REP is the number
/// the paper reports for it.
/// </summary>
internal sealed class OptimizationMethod(OptimizationInverseMethod method) : IEvaluationMethod
{
    public string Name => method.Name;

    public MethodOutput Generate(double target, int count, long seed, CancellationToken cancellationToken)
    {
        var result = method.Optimize(target, seed, cancellationToken: cancellationToken);
        var best = result.RankedDistinct().Take(count).ToArray();
        return new MethodOutput(best.Select(d => d.Map).ToArray(), best.Select(d => d.Absorption).ToArray(), result.SimulationsSpent, result.SimulationsSpent);
    }

    public void Dispose() => method.Dispose();
}
