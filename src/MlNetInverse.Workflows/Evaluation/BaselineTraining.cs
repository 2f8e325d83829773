namespace MlNetInverse.Workflows.Evaluation;

/// <summary>How a baseline of this evaluation came to be.</summary>
/// <param name="Method">The method name.</param>
/// <param name="Settings">Its settings in one line.</param>
/// <param name="Source">"trained now", "loaded from FILE (trained ...)" or "no training (a search per target)".</param>
/// <param name="Seconds">Training wall time (s) when trained now or recorded with the cached file; 0 for the optimisation.</param>
internal sealed record BaselineTraining(string Method, string Settings, string Source, double Seconds);
