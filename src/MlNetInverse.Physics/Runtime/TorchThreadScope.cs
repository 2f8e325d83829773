using TorchSharp;

namespace MlNetInverse.Physics.Runtime;

/// <summary>
/// Sets torch's intra-op thread count for a piece of work and restores the previous count on dispose.
/// The count is per OS thread (OpenMP keeps it per thread), so a worker thread of a parallel loop must set it itself:
/// pool threads otherwise use every core, oversubscribe the machine and round differently from run to run.
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

    public void Dispose() => torch.set_num_threads(_previous);
}
