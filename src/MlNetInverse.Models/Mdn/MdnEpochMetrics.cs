namespace MlNetInverse.Models.Mdn;

/// <summary>One MDN training epoch: the training likelihood and, separately, the held-out likelihood after the epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainingNll">
/// Mean negative log-likelihood per target of the raw training latents over the epoch's batches (nats, while the
/// weights were still changing): a training number, not a test result.
/// </param>
/// <param name="HeldOutNll">Mean negative log-likelihood per target of the raw held-out latents after the epoch (nats): the test number.</param>
/// <param name="LearningRate">Adam learning rate used in the epoch.</param>
/// <param name="Seconds">Wall-clock duration (s), checkpoint excluded.</param>
public sealed record MdnEpochMetrics(int Epoch, double TrainingNll, double HeldOutNll, double LearningRate, double Seconds);
