namespace MlNetInverse.Baselines.MdnInverse;

/// <summary>The outcome of <see cref="MdnInverseTrainer.Train"/>.</summary>
/// <param name="Method">The trained method (the caller owns and disposes it).</param>
/// <param name="History">Every epoch's losses.</param>
/// <param name="Seconds">Training time (s).</param>
public sealed record MdnInverseTrainingResult(MdnInverseMethod Method, IReadOnlyList<MdnInverseEpochMetrics> History, double Seconds);
