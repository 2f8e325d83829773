using TorchSharp;

namespace MlNetInverse.Models.Training;

/// <summary>Sets torch's intra-op thread count for one training run and restores it on dispose; 0 leaves it alone.</summary>
internal sealed class TorchThreads : IDisposable
{
    private readonly int _previous;

    public TorchThreads(int threads)
    {
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), threads, "Threads must be 0 (keep torch's setting) or at least 1.");
        _previous = threads == 0 ? 0 : torch.get_num_threads();
        if (threads > 0) torch.set_num_threads(threads);
    }

    public void Dispose()
    {
        if (_previous > 0) torch.set_num_threads(_previous);
    }
}
