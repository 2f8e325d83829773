namespace MlNetInverse.ML.CodePrior;

/// <summary>
/// The prior's cross-entropy (nats per masked cell) on code grids it never trained on, with and without the label, and
/// what uniform guessing over the codebook costs.
/// </summary>
public sealed record CodePriorHeldOutEvaluation(int Grids, double CrossEntropy, double CrossEntropyWithoutLabel, double Uniform);
