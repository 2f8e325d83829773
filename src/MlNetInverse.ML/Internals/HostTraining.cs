using Microsoft.ML.Runtime;

namespace MlNetInverse.ML.Internals;

/// <summary>
/// Connects a Models-layer trainer (an <see cref="IProgress{T}"/> and a <see cref="CancellationToken"/>) to ML.NET's
/// habits: every finished epoch becomes one line on an <see cref="IChannel"/> of the estimator's host (so
/// <c>MLContext.Log</c> receives it) before the caller's own progress, and <c>mlContext.CancelExecution()</c> stops
/// training with <see cref="OperationCanceledException"/>: the host is checked after every epoch, and a token that the
/// trainer checks before every batch is cancelled when the host is (polled, as ML.NET raises no event).
/// </summary>
internal sealed class HostTraining<TMetrics> : IProgress<TMetrics>, IDisposable
{
    /// <summary>How often the host's cancellation flag is looked at (ms): short against one batch of training.</summary>
    private const int PollMilliseconds = 20;

    private readonly IHost _host;
    private readonly IChannel _channel;
    private readonly IProgress<TMetrics>? _progress;
    private readonly Func<TMetrics, string> _line;
    private readonly CancellationTokenSource _cancellation;
    private readonly Timer _poll;

    public HostTraining(IHost host, string stage, IProgress<TMetrics>? progress, CancellationToken cancellationToken, Func<TMetrics, string> line)
    {
        _host = host;
        _channel = host.Start(stage);
        _progress = progress;
        _line = line;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _poll = new Timer(_ => Poll(), null, 0, PollMilliseconds);
        host.CheckAlive(); // a context cancelled before Fit does not start training
    }

    /// <summary>The token to give the trainer: the caller's token, or the host's cancellation.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>True when <c>CancelExecution</c> was called on the context (or a parent of <paramref name="host"/>).</summary>
    public static bool IsCanceled(IHostEnvironment host) => host is ICancelable { IsCanceled: true };

    public void Report(TMetrics value)
    {
        _channel.Info(_line(value));
        _progress?.Report(value);
        _host.CheckAlive();
    }

    /// <summary>
    /// Runs <paramref name="train"/>; a stop caused by the host's cancellation comes out as ML.NET's own
    /// <see cref="OperationCanceledException"/> from <see cref="IHost"/>, the caller's token's as the trainer threw it.
    /// </summary>
    public T Run<T>(Func<CancellationToken, T> train)
    {
        try
        {
            return train(Token);
        }
        catch (OperationCanceledException) when (IsCanceled(_host))
        {
            _host.CheckAlive();
            throw;
        }
    }

    public void Dispose()
    {
        _poll.Dispose();
        _cancellation.Dispose();
        _channel.Dispose();
    }

    private void Poll()
    {
        try
        {
            if (IsCanceled(_host)) _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The timer fired after training ended.
        }
    }
}
