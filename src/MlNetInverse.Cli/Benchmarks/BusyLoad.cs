namespace MlNetInverse.Cli.Benchmarks;

/// <summary>
/// A background load for benchmarks: threads that spin on the CPU until disposed, each taking a core the way another
/// busy process does (the scheduler shares cores between threads alike). Threads rather than child processes, so a
/// killed benchmark never leaves a spinning process behind.
/// </summary>
internal sealed class BusyLoad : IDisposable
{
    private readonly Thread[] _threads;
    private volatile bool _stop;
    private long _spins;

    /// <summary>Starts <paramref name="threads"/> busy threads (0 starts none).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is negative.</exception>
    public BusyLoad(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        _threads = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(Spin) { IsBackground = true, Name = $"busy load {i}" };
            _threads[i].Start();
        }
    }

    /// <summary>Busy threads running.</summary>
    public int Threads => _threads.Length;

    /// <summary>Spins done so far by all threads (proves the load ran).</summary>
    public long Spins => Interlocked.Read(ref _spins);

    private void Spin()
    {
        double x = 1;
        while (!_stop)
        {
            for (int i = 0; i < 100_000; i++) x = x * 1.0000001 + 1e-9;
            Interlocked.Increment(ref _spins);
        }
        GC.KeepAlive(x);
    }

    public void Dispose()
    {
        _stop = true;
        foreach (var thread in _threads) thread.Join();
    }
}
