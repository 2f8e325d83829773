namespace MlNetInverse.Baselines.GanMdn;

/// <summary>The outcome of <see cref="GanMdnTrainer.Train"/>.</summary>
/// <param name="Method">The trained method (the caller owns and disposes it).</param>
/// <param name="GanHistory">Every GAN epoch.</param>
/// <param name="LabelMean">Mean absorption of the labelled generated samples (compare with the training labels' range).</param>
/// <param name="LabelStandardDeviation">Their standard deviation.</param>
/// <param name="MdnHeldOutNll">The MDN's mean negative log-likelihood of held-out latents (nats per sample).</param>
/// <param name="GanSeconds">Time of the GAN training (s).</param>
/// <param name="LabelSeconds">Time of generating and labelling the samples (s).</param>
/// <param name="MdnSeconds">Time of the MDN training (s).</param>
public sealed record GanMdnTrainingResult(
    GanMdnMethod Method,
    IReadOnlyList<GanEpochMetrics> GanHistory,
    double LabelMean,
    double LabelStandardDeviation,
    double MdnHeldOutNll,
    double GanSeconds,
    double LabelSeconds,
    double MdnSeconds);
