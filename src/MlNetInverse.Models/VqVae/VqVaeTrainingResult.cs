
namespace MlNetInverse.Models.VqVae;

/// <summary>The outcome of <see cref="VqVaeTrainer.Train"/>.</summary>
/// <param name="Model">The trained model, in eval mode, on the training device.</param>
/// <param name="History">Metrics of every epoch, resumed epochs included (from the checkpoint).</param>
/// <param name="Device">The torch device trained on, e.g. "cpu".</param>
/// <param name="DeviceNotice">Why the device differs from the request (Auto without CUDA), or null.</param>
/// <param name="ResumedFromEpoch">Epochs taken from an existing checkpoint (0 for a fresh run).</param>
public sealed record VqVaeTrainingResult(
    VqVaeModel Model, IReadOnlyList<EpochMetrics> History, string Device, string? DeviceNotice, int ResumedFromEpoch);
