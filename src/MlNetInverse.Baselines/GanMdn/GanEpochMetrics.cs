namespace MlNetInverse.Baselines.GanMdn;

/// <summary>One GAN training epoch.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="DiscriminatorLoss">Mean discriminator loss (BCE on real plus BCE on generated images, nats).</param>
/// <param name="GeneratorLoss">Mean non-saturating generator loss (BCE of generated images against the "real" label, nats).</param>
/// <param name="Seconds">Wall-clock duration (s).</param>
public sealed record GanEpochMetrics(int Epoch, double DiscriminatorLoss, double GeneratorLoss, double Seconds);
