using System.Collections.Concurrent;
using MlNetInverse.Physics.Runtime;
using MlNetInverse.Tests.Models;
using TorchSharp;

namespace MlNetInverse.Tests.Physics.Runtime;

[Collection(TorchDeterminismCollection.Name)]
public sealed class TorchWorkersTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void GivenItemsThatLeaveTheirThreadAtThreeTorchThreads_WhenRun_ThenEveryItemStillStartsAtOne(int workers)
    {
        var seen = new ConcurrentBag<int>();
        using var caller = new TorchThreadScope(2);

        TorchWorkers.For(64, workers, _ =>
        {
            seen.Add(torch.get_num_threads());
            torch.set_num_threads(3);   // a careless item: the next item on this thread must not inherit it
        });

        Assert.Equal(64, seen.Count);
        Assert.All(seen, threads => Assert.Equal(1, threads));
        Assert.Equal(2, torch.get_num_threads());
    }

    [Fact]
    public void GivenARun_WhenItEnds_ThenAThreadThatStartsTorchLaterGetsTheCallersCount()
    {
        using var caller = new TorchThreadScope(2);
        TorchWorkers.For(8, 2, _ => { });
        int fresh = 0;
        var thread = new Thread(() => fresh = torch.get_num_threads());
        thread.Start();
        thread.Join();
        Assert.Equal(2, fresh);
    }

    [Fact]
    public void GivenBadArgumentsOrACancel_WhenRun_ThenItThrows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchWorkers.For(3, 0, _ => { }));
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchWorkers.For(-1, 1, _ => { }));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        int ran = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => TorchWorkers.For(5, 1, _ => ran++, cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => TorchWorkers.For(5, 2, _ => ran++, cancelled.Token));
        Assert.Equal(0, ran);
        TorchWorkers.For(0, 2, _ => ran++);
        Assert.Equal(0, ran);
    }
}
