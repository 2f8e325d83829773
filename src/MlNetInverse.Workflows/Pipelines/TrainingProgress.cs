namespace MlNetInverse.Workflows.Pipelines;

/// <summary>
/// One progress bar of a training run as it moves (see <see cref="TrainingRunOptions.Progress"/>): every stage reports
/// its epochs (or rows) under its own <paramref name="Task"/>; a stage reused from an earlier run reports one full bar.
/// </summary>
/// <param name="Task">Names the bar, e.g. "surrogate epoch"; the same for every report of one bar.</param>
/// <param name="Value">How far the bar is (epochs or rows done).</param>
/// <param name="MaxValue">Where it ends (epochs or rows of the stage).</param>
/// <param name="Description">What the bar shows now, e.g. "surrogate epoch 3/8: loss 0.0123, held-out MAE 0.0101".</param>
public sealed record TrainingProgress(string Task, double Value, double MaxValue, string Description);
