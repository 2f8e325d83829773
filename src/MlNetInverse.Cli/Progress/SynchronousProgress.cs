namespace MlNetInverse.Cli.Progress;

/// <summary>
/// Reports on the reporting thread: Progress&lt;T&gt; would post to a synchronization context, out of order with the
/// console. Reports may come from worker threads (RCWA workers); the callbacks here write lines or update Spectre tasks,
/// which accept that.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
