using MlNetInverse.Cli.Benchmarks;

namespace MlNetInverse.Tests.Cli.Benchmarks;

public sealed class BusyLoadTests
{
    [Fact]
    public void GivenALoadOfTwoThreads_WhileItRuns_ThenItSpins_AndDisposeStopsIt()
    {
        var load = new BusyLoad(2);
        Assert.Equal(2, load.Threads);
        Assert.True(SpinWait.SpinUntil(() => load.Spins > 0, TimeSpan.FromSeconds(60)), "the busy threads never ran");
        load.Dispose();   // joins the threads: returning at all means they stopped

        using var none = new BusyLoad(0);
        Assert.Equal(0, none.Threads);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BusyLoad(-1));
    }
}
