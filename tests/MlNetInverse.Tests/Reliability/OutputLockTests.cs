using MlNetInverse.Physics.Storage;
using MlNetInverse.Tests.Cli;

namespace MlNetInverse.Tests.Reliability;

/// <summary>One run at a time per output: the lock is exclusive, names its holder, and leaves nothing behind.</summary>
public sealed class OutputLockTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenAnOutputLockedByOneRun_WhenASecondRunLocksIt_ThenItFailsAtOnceNamingTheOutputAndTheHoldersCommandLine()
    {
        string output = _folder.File("g/ce.parquet");
        using var first = OutputLock.ForFile(output, "mlnet-inverse data generate --out g/ce.parquet --seed 5");

        var error = Assert.Throws<OutputLockedException>(() => OutputLock.ForFile(output, "mlnet-inverse data generate --out g/ce.parquet --seed 6"));

        Assert.Contains($"'{output}' is being written by another run", error.Message);
        Assert.Contains("--seed 5", error.Message);
        Assert.DoesNotContain("--seed 6", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void GivenALockReleased_WhenAnotherRunLocksTheOutput_ThenItIsAcquiredAndNoLockFileIsLeft()
    {
        string output = _folder.File("scores.parquet");
        OutputLock.ForFile(output, "first").Dispose();

        using (var second = OutputLock.ForFile(output, "second"))
            Assert.Equal(output + OutputLock.Suffix, second.LockPath);

        Assert.Empty(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void GivenAFolderOutputThatDidNotExist_WhenTheRunFailsBeforeWritingAnything_ThenNoEmptyFolderIsLeft()
    {
        string folder = _folder.File("evaluation");

        OutputLock.ForFolder(folder, "mlnet-inverse evaluate --out evaluation").Dispose();

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void GivenAStaleLockFileOfAKilledRun_WhenAnotherRunLocksTheOutput_ThenItIsAcquired()
    {
        string output = _folder.File("model.zip");
        File.WriteAllText(output + OutputLock.Suffix, "'mlnet-inverse train ...', process 1 on a machine that is gone\n");

        using var run = OutputLock.ForFile(output, "mlnet-inverse train vqvae --out model.zip");

        Assert.Equal(output, run.Output);
    }

    [Fact]
    public void GivenAFolderWrittenByShard1_WhenShard2AndAWholeRunLockIt_ThenShard2ProceedsAndOnlyAnotherShard1IsRefused()
    {
        string folder = _folder.File("generated");
        using var shard1 = OutputLock.ForFolder(folder, "generate --shard 1/2", "shard-0001-of-0002");

        using var shard2 = OutputLock.ForFolder(folder, "generate --shard 2/2", "shard-0002-of-0002");
        var again = Assert.Throws<OutputLockedException>(() => OutputLock.ForFolder(folder, "generate --shard 1/2 again", "shard-0001-of-0002"));

        Assert.Contains("generate --shard 1/2", again.Message);
        Assert.NotEqual(shard1.LockPath, shard2.LockPath);
    }

    [Fact]
    public void GivenManyThreadsLockingOneOutput_WhenTheyRaceForIt_ThenNeverTwoHoldItAtOnce()
    {
        string output = _folder.File("race.parquet");
        int holders = 0, overlaps = 0, acquired = 0;

        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            try
            {
                using var run = OutputLock.ForFile(output, $"run {i}");
                if (Interlocked.Increment(ref holders) > 1) Interlocked.Increment(ref overlaps);
                Interlocked.Increment(ref acquired);
                Thread.SpinWait(200);
                Interlocked.Decrement(ref holders);
            }
            catch (OutputLockedException)
            {
                // refused while another held it: what the lock is for
            }
        });

        Assert.Equal(0, overlaps);
        Assert.True(acquired > 0);
    }
}
