using TorchSharp;

namespace MlNetInverse.Cli.Runtime;

/// <summary>
/// Sets torch's intra-op thread count for one command and restores the previous count on dispose, so running a
/// command in-process (tests, pipelines) does not change the threads of whatever runs next.
/// </summary>
internal sealed class TorchThreadScope : IDisposable
{
    private readonly int _previous;

    public TorchThreadScope(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "Torch needs at least 1 thread.");
        _previous = torch.get_num_threads();
        torch.set_num_threads(threads);
    }

    public void Dispose() => torch.set_num_threads(_previous);
}
