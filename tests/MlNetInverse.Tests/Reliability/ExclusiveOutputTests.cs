using System.Diagnostics;
using MlNetInverse.Physics.Storage;
using MlNetInverse.Tests.Cli;

namespace MlNetInverse.Tests.Reliability;

/// <summary>
/// Two real <c>mlnet-inverse</c> processes on one output (issue: two <c>data generate</c> runs with different seeds
/// both exited 0 and left a file with rows of both): the second fails at once naming the first, and once the first is
/// killed with SIGKILL the output is free again.
/// </summary>
public sealed class ExclusiveOutputTests : IDisposable
{
    private const string StackJson = """
        {"period_nm": 350, "materials": {"air": {"eps": "1"}, "si": {"eps": "12+0.5i"}, "glass": {"eps": "2.25"}},
         "superstrate": "air", "patterned_layer": {"material_a": "si", "material_b": "air", "thickness_nm": 100},
         "substrate": "glass", "wavelengths_nm": [500, 600], "solver": {"harmonics": 9}}
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string[] Generate(string output, string stack, int seed) =>
        ["data", "generate", "--count", "100000", "--out", output, "--seed", seed.ToString(), "--stack", stack, "--row-group", "20", "--threads", "1"];

    [Fact]
    public void GivenADataGenerateRunWritingAnOutput_WhenASecondRunWithAnotherSeedStarts_ThenItFailsAtOnceNamingTheFirstAndAfterKill9TheOutputIsFree()
    {
        string stack = _folder.Write("stack.json", StackJson);
        string output = _folder.File("g/ce.parquet");
        using var first = ChildCli.Start(Generate(output, stack, seed: 5));
        _ = first.StandardOutput.ReadToEndAsync(); // drained, so the child never blocks on a full pipe
        try
        {
            WaitForHolder(first, output + OutputLock.Suffix, "--seed 5");

            var clock = Stopwatch.StartNew();
            var second = ChildCli.Run(Generate(output, stack, seed: 6));
            clock.Stop();

            Assert.Equal(1, second.ExitCode);
            string line = Assert.Single(second.StderrLines);
            Assert.Contains($"'{output}' is being written by another run", line);
            Assert.Contains("--seed 5", line);
            Assert.False(first.HasExited, "the first run must still be running: the second one may not disturb it");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the second run took {clock.Elapsed} to give up");
            // The first run goes on with its own settings: its parts folder is (or becomes) seed 5's.
            string manifest = Path.Combine(output + ".parts", "manifest.json");
            var wait = Stopwatch.StartNew();
            while (!File.Exists(manifest) && !first.HasExited && wait.Elapsed < TimeSpan.FromMinutes(1)) Thread.Sleep(20);
            Assert.Contains("\"seed\": 5", File.ReadAllText(manifest));
        }
        finally
        {
            if (!first.HasExited) first.Kill(); // SIGKILL: no handler runs, the lock file stays behind
            first.WaitForExit(TimeSpan.FromMinutes(1));
        }

        Assert.True(File.Exists(output + OutputLock.Suffix));
        using var after = OutputLock.ForFile(output, "the next run");
        Assert.Equal(output, after.Output);
    }

    /// <summary>Waits until the lock file names the holder (read without taking a lock, as a second run does).</summary>
    private static void WaitForHolder(Process holder, string lockPath, string expected)
    {
        var clock = Stopwatch.StartNew();
        while (LockHolderNote.TryRead(lockPath)?.Contains(expected) != true)
        {
            if (holder.HasExited) Assert.Fail($"the first run ended early: {holder.StandardError.ReadToEnd()}");
            if (clock.Elapsed > TimeSpan.FromMinutes(1)) Assert.Fail("the first run did not take the lock within a minute");
            Thread.Sleep(20);
        }
    }
}
