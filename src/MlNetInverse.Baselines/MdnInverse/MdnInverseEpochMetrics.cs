namespace MlNetInverse.Baselines.MdnInverse;

/// <summary>One training epoch of the MDN inverse model.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="ReconstructionLoss">Mean binary cross-entropy per pixel of the reconstructions (nats per pixel).</param>
/// <param name="CodeNll">Mean mixture negative log-likelihood of the codes given the absorption (nats per image).</param>
/// <param name="Seconds">Wall-clock duration (s).</param>
public sealed record MdnInverseEpochMetrics(int Epoch, double ReconstructionLoss, double CodeNll, double Seconds);
