using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.Training;
using MlNetInverse.Models.VqVae;

namespace MlNetInverse.ML.VqVae;

/// <summary>
/// What happened when a <see cref="VqVaeEstimator"/> was fitted. Training-set numbers only: not test results. Kept on
/// the fitted <see cref="VqVaeTransformer"/>; a transformer loaded from a model zip has none.
/// </summary>
/// <param name="History">Metrics of every epoch on the training rows (resumed epochs included).</param>
/// <param name="Device">The torch device trained on, e.g. "cpu".</param>
/// <param name="DeviceNotice">Why the device differs from the request (Auto without CUDA), or null.</param>
/// <param name="ResumedFromEpoch">Epochs taken from an existing checkpoint (0 for a fresh run).</param>
/// <param name="AbsorptionLoss">
/// Where the absorption loss came from: "none" (beta = 0 or no surrogate), "given surrogate" or "surrogate trained in Fit".
/// </param>
/// <param name="SurrogateHeldOut">
/// The surrogate's errors on rows held out from its own training (a test result for the surrogate): for one trained
/// in Fit, measured there; for a given one, what it was saved with. Null without a surrogate.
/// </param>
public sealed record VqVaeTrainingSummary(
    IReadOnlyList<EpochMetrics> History,
    string Device,
    string? DeviceNotice,
    int ResumedFromEpoch,
    string AbsorptionLoss,
    SurrogateEvaluation? SurrogateHeldOut);
