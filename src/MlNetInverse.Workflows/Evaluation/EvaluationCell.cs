using MlNetInverse.Workflows.Verification;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>One row of Table I: a method's designs for one target, seeds pooled.</summary>
/// <param name="Method">The method's name (<see cref="EvaluationMethods"/>).</param>
/// <param name="Target">The target absorption.</param>
/// <param name="Rcwa">REP statistics of the designs judged by RCWA (the paper's min, mean, std).</param>
/// <param name="Surrogate">The same judged by the model's surrogate.</param>
/// <param name="SkillVsVfControl">The volume-fraction control's mean REP over this cell's (NaN when the control was not evaluated).</param>
/// <param name="MethodSimulations">RCWA simulations the method itself spent (optimisation, verify-and-rank).</param>
public sealed record EvaluationCell(string Method, double Target, RepStatistics Rcwa, RepStatistics Surrogate, double SkillVsVfControl, int MethodSimulations);
