namespace MlNetInverse.Models.Training;

/// <summary>What a finished <see cref="CheckpointedTraining{TModel, TMetrics, TResult}"/> run hands to the trainer's result.</summary>
/// <param name="History">Metrics of every epoch (resumed epochs included).</param>
/// <param name="Device">The device trained on (e.g. "cpu", "cuda:0").</param>
/// <param name="Notice">A note about the device choice (e.g. Auto fell back to the CPU), or null.</param>
/// <param name="ResumedFromEpoch">Epochs taken from an existing checkpoint (0 for a fresh run).</param>
internal sealed record TrainingRun<TMetrics>(IReadOnlyList<TMetrics> History, string Device, string? Notice, int ResumedFromEpoch);
