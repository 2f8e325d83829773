using Spectre.Console;

namespace MlNetInverse.Cli.Progress;

/// <summary>
/// Feeds per-epoch metrics into a Spectre progress task: the bar follows the epoch number (resumed epochs included) and
/// the description shows the latest metrics. Remembers the last report for the cancellation message.
/// </summary>
internal sealed class EpochProgress<T> : IProgress<T> where T : class
{
    private readonly ProgressTask _task;
    private readonly string _label;
    private readonly Func<T, int> _epoch;
    private readonly Func<T, string> _describe;

    public EpochProgress(ProgressTask task, string label, Func<T, int> epoch, Func<T, string> describe)
    {
        _task = task;
        _label = label;
        _epoch = epoch;
        _describe = describe;
    }

    /// <summary>The latest report, or null before the first epoch ended.</summary>
    public T? Last { get; private set; }

    public void Report(T value)
    {
        Last = value;
        _task.Value = _epoch(value);
        _task.Description = Markup.Escape($"{_label} {_epoch(value)}/{_task.MaxValue:0}: {_describe(value)}");
    }
}
