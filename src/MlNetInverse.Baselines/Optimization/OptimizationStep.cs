namespace MlNetInverse.Baselines.Optimization;

/// <summary>One objective evaluation of a Bayesian optimisation run.</summary>
/// <param name="Index">0-based evaluation number.</param>
/// <param name="Point">Where the objective was evaluated (unit-cube coordinates).</param>
/// <param name="Value">The objective's value there.</param>
/// <param name="IsInitial">True for the random initial design, false for points chosen by expected improvement.</param>
/// <param name="ExpectedImprovement">The expected improvement that chose the point (objective units; NaN for initial points).</param>
public sealed record OptimizationStep(int Index, IReadOnlyList<double> Point, double Value, bool IsInitial, double ExpectedImprovement);
