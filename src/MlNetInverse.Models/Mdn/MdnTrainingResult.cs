namespace MlNetInverse.Models.Mdn;

/// <summary>The outcome of <see cref="MdnTrainer.Train"/>. Held-out numbers are test results; training numbers are not.</summary>
/// <param name="Model">The trained network, in eval mode, on the training device, with its normalisation and training range.</param>
/// <param name="History">Metrics of every epoch (resumed epochs included).</param>
/// <param name="HeldOutNll">Mean negative log-likelihood per target of the raw held-out latents, never seen in training (nats): the test result.</param>
/// <param name="TrainingNll">The same on the training split with the final weights (nats): for spotting over-fitting only.</param>
/// <param name="HeldOutIndices">Indices of the held-out pairs in the input arrays.</param>
/// <param name="Device">The torch device trained on.</param>
/// <param name="DeviceNotice">Why the device differs from the request, or null.</param>
/// <param name="ResumedFromEpoch">Epochs taken from an existing checkpoint (0 for a fresh run).</param>
public sealed record MdnTrainingResult(
    MixtureDensityNetwork Model,
    IReadOnlyList<MdnEpochMetrics> History,
    double HeldOutNll,
    double TrainingNll,
    IReadOnlyList<int> HeldOutIndices,
    string Device,
    string? DeviceNotice,
    int ResumedFromEpoch)
{
    /// <summary><see cref="HeldOutNll"/> divided by the latent dimension (nats per latent value), comparable across L.</summary>
    public double HeldOutNllPerDimension => HeldOutNll / Model.Options.LatentDimension;
}
