using MlNetInverse.Physics.Datasets;
using Spectre.Console;

namespace MlNetInverse.Cli.Datasets;

/// <summary>
/// Feeds <see cref="DatasetProgress"/> reports into a Spectre progress task. Samples resumed from an earlier run are
/// taken out of the bar, so the speed and the ETA reflect only the work this run does. Thread-safe.
/// </summary>
internal sealed class DatasetProgressBar : IProgress<DatasetProgress>
{
    private readonly ProgressTask _task;
    private readonly object _gate = new();
    private DatasetProgress? _last;

    public DatasetProgressBar(ProgressTask task) => _task = task;

    /// <summary>The latest report, or null before the first one.</summary>
    public DatasetProgress? Last
    {
        get { lock (_gate) return _last; }
    }

    public void Report(DatasetProgress value)
    {
        lock (_gate)
        {
            if (_last is null || _last.Resumed != value.Resumed || _last.Total != value.Total)
            {
                _task.MaxValue = Math.Max(1, value.Total - value.Resumed);
                if (value.Resumed > 0) _task.Description = $"samples ({value.Resumed} resumed)";
            }
            _task.Value = value.Completed - value.Resumed;
            _last = value;
        }
    }
}
