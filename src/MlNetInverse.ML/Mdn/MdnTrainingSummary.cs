using MlNetInverse.Models.Mdn;

namespace MlNetInverse.ML.Mdn;

/// <summary>What happened when an <see cref="MdnEstimator"/> was fitted; kept on the fitted transformer, not saved.</summary>
/// <param name="History">Every epoch's training and held-out NLL (resumed epochs included).</param>
/// <param name="Device">The torch device trained on, e.g. "cpu".</param>
/// <param name="DeviceNotice">Why the device differs from the request, or null.</param>
/// <param name="ResumedFromEpoch">Epochs taken from an existing checkpoint (0 for a fresh run).</param>
/// <param name="Pairs">(absorption, latent) pairs read, training and held-out together.</param>
public sealed record MdnTrainingSummary(IReadOnlyList<MdnEpochMetrics> History, string Device, string? DeviceNotice, int ResumedFromEpoch, int Pairs);
