namespace MlNetInverse.Physics.Runtime;

/// <summary>
/// Runs independent pieces of small dense torch work (one RCWA wavelength, one pattern) on parallel workers, each with
/// one torch intra-op thread: on a shared machine OpenMP threads of one small matrix wait on each other whenever
/// anything else runs, so parallelism comes from the items instead. Results do not depend on the worker count, because
/// every item runs single-threaded whichever thread takes it.
/// </summary>
/// <remarks>
/// Measured on TorchSharp 0.107 / libtorch 2.10: <c>torch.set_num_threads</c> sets the calling OS thread's OpenMP
/// count and a process-wide default that a thread adopts on its first torch call; a thread that has already run torch
/// keeps its own count when another thread changes it. So the calling thread holds one thread for the whole run (new
/// pool threads start at one), every item sets its own worker thread to one, and when the run ends the calling
/// thread's count and the process default are back to what they were.
/// </remarks>
public static class TorchWorkers
{
    /// <summary>The default worker count: one per core (<see cref="Environment.ProcessorCount"/>).</summary>
    public static int PerCore => Environment.ProcessorCount;

    /// <summary>
    /// Runs <paramref name="body"/> for items 0..<paramref name="count"/>-1 on up to <paramref name="workers"/> threads
    /// (the calling thread is one of them), each item with one torch intra-op thread. One worker runs the items in
    /// order on the calling thread.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workers"/> below 1 or <paramref name="count"/> negative.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before all items ran.</exception>
    public static void For(int count, int workers, Action<int> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "At least one worker is needed.");
        // Held for the whole run: pool threads that first meet torch now start at one, and the process default is the
        // caller's again when it ends (the items' own scopes write it too, in whatever order they finish).
        using var caller = new TorchThreadScope(1);
        if (workers == 1 || count <= 1)
        {
            for (int i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                RunSingleThreaded(body, i);
            }
            return;
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken };
        Parallel.For(0, count, options, i => RunSingleThreaded(body, i));
    }

    /// <summary>
    /// One item at one torch thread, whatever its thread ran before (a pool thread may have run torch at another count,
    /// or an earlier item may have changed it); the thread's own count is back afterwards.
    /// </summary>
    private static void RunSingleThreaded(Action<int> body, int item)
    {
        using var single = new TorchThreadScope(1);
        body(item);
    }
}
