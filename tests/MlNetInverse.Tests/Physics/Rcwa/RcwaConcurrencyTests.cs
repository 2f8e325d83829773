using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Tests.Physics.Rcwa;

public sealed class RcwaConcurrencyTests
{
    /// <summary>
    /// TorchSharp 0.107 hands a Scalar's native handle to libtorch and keeps no reference while the call runs, and
    /// Scalars are not tracked by dispose scopes, so a garbage collection on another thread could finalise a temporary
    /// Scalar (e.g. add's implicit alpha = 1) mid-call: "Expected false to be true ... toComplexDouble" in dataset
    /// generation with two workers. Forcing collections from a third thread makes that race frequent.
    /// </summary>
    [Fact]
    public void GivenParallelSimulationsWhileAnotherThreadForcesGarbageCollections_WhenSolved_ThenEveryResultEqualsTheSequentialOne()
    {
        using var solver = new RcwaSolver(RcwaReference.Stack(25, FourierFactorization.Li));
        var patterns = Enumerable.Range(0, 4).Select(i => RcwaReference.Pattern(i % 2 == 0 ? "rand1" : "checker")).ToArray();
        var expected = solver.SimulateMany(patterns, workers: 1).Select(r => r.Absorption).ToArray();

        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true };
        collector.Start();
        try
        {
            for (int round = 0; round < 10; round++)
            {
                var results = solver.SimulateMany(patterns, workers: 2);
                Assert.Equal(expected, results.Select(r => r.Absorption).ToArray());
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
    }
}
