using System.Globalization;

namespace MlNetInverse.Workflows.Pipelines;

/// <summary>
/// Turns a trainer's per-epoch metrics into <see cref="TrainingProgress"/> reports of one bar: its value follows the
/// epoch number (resumed epochs included) and its description shows the latest metrics. Remembers the last report
/// for the stage's summary.
/// </summary>
internal sealed class EpochReporter<T> : IProgress<T> where T : class
{
    private readonly IProgress<TrainingProgress>? _progress;
    private readonly string _label;
    private readonly int _epochs;
    private readonly Func<T, int> _epoch;
    private readonly Func<T, string> _describe;

    /// <summary>Reports the bar at 0 of <paramref name="epochs"/> at once, so it shows while the first epoch runs.</summary>
    public EpochReporter(IProgress<TrainingProgress>? progress, string label, int epochs, Func<T, int> epoch, Func<T, string> describe)
    {
        _progress = progress;
        _label = label;
        _epochs = epochs;
        _epoch = epoch;
        _describe = describe;
        _progress?.Report(new TrainingProgress(label, 0, epochs, label));
    }

    /// <summary>The latest report, or null before the first epoch ended.</summary>
    public T? Last { get; private set; }

    public void Report(T value)
    {
        Last = value;
        int epoch = _epoch(value);
        _progress?.Report(new TrainingProgress(_label, epoch, _epochs,
            string.Create(CultureInfo.InvariantCulture, $"{_label} {epoch}/{_epochs}: {_describe(value)}")));
    }
}
