
namespace MlNetInverse.Models.Surrogate;

/// <summary>The outcome of <see cref="SurrogateTrainer.Train"/>. Held-out numbers are test results; training numbers are not.</summary>
/// <param name="Model">The trained surrogate, in eval mode, on the training device.</param>
/// <param name="History">Metrics of every epoch (resumed epochs included).</param>
/// <param name="HeldOut">Errors on the held-out images, never seen in training: the test result.</param>
/// <param name="Training">Errors on the training images (no augmentation): for spotting over-fitting only.</param>
/// <param name="HeldOutIndices">Indices of the held-out images in the input arrays.</param>
/// <param name="Device">The torch device trained on.</param>
/// <param name="DeviceNotice">Why the device differs from the request, or null.</param>
/// <param name="ResumedFromEpoch">Epochs taken from an existing checkpoint (0 for a fresh run).</param>
public sealed record SurrogateTrainingResult(
    AbsorptionSurrogateModel Model,
    IReadOnlyList<SurrogateEpochMetrics> History,
    SurrogateEvaluation HeldOut,
    SurrogateEvaluation Training,
    IReadOnlyList<int> HeldOutIndices,
    string Device,
    string? DeviceNotice,
    int ResumedFromEpoch);
