namespace MlNetInverse.Baselines.Shared;

/// <summary>An <see cref="IProgress{T}"/> that calls its action at once on the reporting thread (Progress&lt;T&gt; would post later).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
