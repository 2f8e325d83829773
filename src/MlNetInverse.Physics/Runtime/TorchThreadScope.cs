using TorchSharp;

namespace MlNetInverse.Physics.Runtime;

/// <summary>
/// Sets torch's intra-op thread count for a piece of work on the calling thread and restores its previous count on
/// dispose. Measured on TorchSharp 0.107 / libtorch 2.10: the count is per OS thread (OpenMP keeps it per thread), and
/// each set also changes a process-wide default that a thread adopts on its first torch call. A thread that ran torch
/// before keeps its own count, so a worker of a parallel loop must set it itself (see <see cref="TorchWorkers"/>, which
/// does): pool threads otherwise use every core, oversubscribe the machine and round differently from run to run.
/// </summary>
public sealed class TorchThreadScope : IDisposable
{
    private readonly int _previous;

    /// <summary>Limits the calling thread's torch work to <paramref name="threads"/> threads.</summary>
    public TorchThreadScope(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "Torch needs at least 1 thread.");
        _previous = torch.get_num_threads();
        torch.set_num_threads(threads);
    }

    /// <summary>
    /// A scope of <paramref name="threads"/> threads, or none for 0, the options' "keep torch's setting" (trainers take
    /// 0 as their default; dispose the null with <c>using</c> as usual).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is negative.</exception>
    public static TorchThreadScope? UnlessZero(int threads)
    {
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), threads, "Threads must be 0 (keep torch's setting) or at least 1.");
        return threads == 0 ? null : new TorchThreadScope(threads);
    }

    public void Dispose() => torch.set_num_threads(_previous);
}
