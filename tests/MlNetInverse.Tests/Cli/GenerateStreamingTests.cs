using MlNetInverse.Cli.Commands;
using MlNetInverse.Cli.Generation;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;
using MlNetInverse.Workflows.Generation;

namespace MlNetInverse.Tests.Cli;

/// <summary>
/// generate writes each design as it is made (PNG and a flushed designs.csv row), one target at a time, and refuses a
/// --count whose pass cannot be held with one line instead of an overflow or an OOM kill.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class GenerateStreamingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenADesignFolderWriter_WhenATargetIsAddedBeforeTheRunCompletes_ThenDesignsCsvOnDiskAlreadyListsItsDesigns()
    {
        string output = _folder.File("streamed");
        var images = Enumerable.Range(0, 3).Select(n => Enumerable.Range(0, 16).Select(p => (float)((p + n) % 2)).ToArray()).ToArray();
        using var writer = new DesignFolderWriter(output);

        writer.Add(new GeneratedTarget(0.5, true, images, [0.4f, 0.5f, 0.6f], 4), null);

        using var reader = new StreamReader(new FileStream(Path.Combine(output, "designs.csv"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var rows = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        Assert.Equal(3, rows.Length);
        Assert.All(rows, row => Assert.True(File.Exists(Path.Combine(output, row.Split(',')[^1])), row));
        Assert.False(File.Exists(Path.Combine(output, "grid.png")));
    }

    [Fact]
    public void GivenAFolderOfAnEarlierRun_WhenANewWriterStarts_ThenTheOldCsvAndGridNoLongerDescribeTheFolder()
    {
        string output = _folder.File("reused");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "designs.csv"), "target,design\n0.9,0\n0.9,1\n");
        File.WriteAllText(Path.Combine(output, "grid.png"), "old");

        using var writer = new DesignFolderWriter(output);

        Assert.Single(File.ReadAllLines(Path.Combine(output, "designs.csv")));
        Assert.False(File.Exists(Path.Combine(output, "grid.png")));
    }

    [Fact]
    public void GivenACountNoPassCanHold_WhenGenerated_ThenOneLineGivesTheEstimateAndTheAvailableMemoryAndNothingIsWritten()
    {
        using var generator = TinyGenerator.Create(samples: 2);
        string model = generator.Save(_folder.File("model.zip"));
        string output = _folder.File("huge");

        var run = CliRun.Of("generate", "--model", model, "--target", "0.5", "--count", "2000000000", "--out", output);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^error: --count 2000000000: .*[0-9.E+]+ GB needed, [0-9.]+ GB available\); use --count [0-9]+ or fewer", run.Stderr.Trim());
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(output, "designs.csv")));
    }

    [Fact]
    public void GivenAnEstimateBeyondTheAvailableMemory_WhenChecked_ThenItIsRefusedNamingBothAmounts()
    {
        var refused = Assert.Throws<InsufficientMemoryException>(() =>
            MlNetInverse.Physics.Runtime.MemoryBudget.Check(1e18, "the test needs about {0}", "Ask for less"));

        Assert.Matches(@"^the test needs about 1E\+09 GB; this machine has [0-9.]+ GB available\. Ask for less, or set MLNET_INVERSE_IGNORE_MEMORY_ESTIMATE=1", refused.Message);
    }
}
