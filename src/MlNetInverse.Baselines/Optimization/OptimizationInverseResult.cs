namespace MlNetInverse.Baselines.Optimization;

/// <summary>The outcome of <see cref="OptimizationInverseMethod.Optimize"/>.</summary>
/// <param name="TargetAbsorption">The target.</param>
/// <param name="History">Every simulated candidate in order.</param>
/// <param name="Optimization">The optimiser's own record (unit-cube points, expected improvements, final GP hyper-parameters).</param>
public sealed record OptimizationInverseResult(double TargetAbsorption, IReadOnlyList<OptimizationDesign> History, BayesianOptimizationResult Optimization)
{
    /// <summary>Simulations spent.</summary>
    public int SimulationsSpent => History.Count;

    /// <summary>The smallest REP found (%), the number the paper reports for this baseline.</summary>
    public double MinRepPercent => 100 * History.Min(d => d.Rep);

    /// <summary>Candidates by increasing REP (earlier simulation first on ties), with repeated maps left out.</summary>
    public IReadOnlyList<OptimizationDesign> RankedDistinct()
    {
        var seen = new HashSet<string>();
        return History.OrderBy(d => d.Rep).ThenBy(d => d.Index)
            .Where(d => seen.Add(Convert.ToBase64String(d.Map.ToPackedBits())))
            .ToList();
    }
}
