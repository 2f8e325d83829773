namespace MlNetInverse.Models.VqVae;

/// <summary>What one VQ-VAE training epoch measured on its training batches (training-set numbers, not test results).</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="ReconstructionError">Mean squared pixel error R of the reconstructions (pixel values in [0, 1]).</param>
/// <param name="PixelAccuracy">Fraction of pixels whose reconstruction, binarized at 0.5, equals the input binarized at 0.5.</param>
/// <param name="Perplexity">Mean over steps of exp(entropy of code usage); K would mean every code used equally.</param>
/// <param name="CodesUsed">Distinct codes chosen at least once during the epoch.</param>
/// <param name="AbsorptionLoss">Mean absorption loss A (absorption units), or null when no surrogate was used.</param>
/// <param name="CodebookLoss">Mean codebook loss V (squared latent units; monitoring only with EMA updates).</param>
/// <param name="CommitmentLoss">Mean commitment loss C, beta_c already applied.</param>
/// <param name="Loss">Mean total loss Alpha*R + Beta*A + Theta*V + C (V only with codebook-loss updates).</param>
/// <param name="ImagesPerSecond">Training throughput of the epoch (images/s).</param>
/// <param name="Seconds">Wall-clock duration of the epoch (s), checkpoint excluded.</param>
public sealed record EpochMetrics(
    int Epoch,
    double ReconstructionError,
    double PixelAccuracy,
    double Perplexity,
    int CodesUsed,
    double? AbsorptionLoss,
    double CodebookLoss,
    double CommitmentLoss,
    double Loss,
    double ImagesPerSecond,
    double Seconds);
