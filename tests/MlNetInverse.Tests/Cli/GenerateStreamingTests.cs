using MlNetInverse.Cli.Commands;
using MlNetInverse.Cli.Generation;
using MlNetInverse.ML.Generation;
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

        // Streamed, a draw costs a few numbers of bookkeeping: 2e9 of them are beyond this machine's memory.
        var streamed = CliRun.Of("generate", "--model", model, "--target", "0.5", "--count", "2000000000", "--out", output);
        // Verified, every draw's map is held in one column: beyond the largest array.
        var held = CliRun.Of("generate", "--model", model, "--target", "0.5", "--count", "2000000000", "--verify", "--out", output);

        Assert.Equal(1, streamed.ExitCode);
        Assert.Matches(@"^error: --count 2000000000: one target's 2000000000 designs of \d+ x \d+ pixels need about [0-9.E+]+ GB while they are made; this machine has [0-9.]+ GB available\. Use a smaller --count", streamed.Stderr.Trim());
        Assert.Equal(1, held.ExitCode);
        Assert.Matches(@"^error: --count 2000000000: .*[0-9.E+]+ GB needed, [0-9.]+ GB available\); use --count [0-9]+ or fewer", held.Stderr.Trim());
        Assert.All(new[] { streamed, held }, run => Assert.Single(run.Stderr.Trim().Split('\n')));
        Assert.False(File.Exists(Path.Combine(output, "designs.csv")));
    }

    [Fact]
    public void GivenACodePrior_WhenAHugeCountIsAsked_ThenItIsCheckedAsAStreamedPass_AsTheMdnsIs()
    {
        using var generator = TinyGenerator.Create(samples: 2);
        string model = generator.Save(_folder.File("model.zip")), prior = _folder.File("tiny.prior");
        var o = TinyGenerator.VqVaeOptions;
        using (var untrained = new MlNetInverse.Models.CodePrior.MaskedCodePrior(new() { CodebookSize = o.CodebookSize, GridSize = o.LatentGridSize, Width = 4, Heads = 1, Layers = 1 }))
            untrained.Save(prior);

        // The prior draws each design from its own stream, so its designs stream in chunks like the MDN's.
        var run = CliRun.Of("generate", "--model", model, "--prior", prior, "--target", "0.5", "--count", "2000000000", "--out", _folder.File("huge"));

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^error: --count 2000000000: one target's 2000000000 designs of \d+ x \d+ pixels need about [0-9.E+]+ GB while they are made; this machine has [0-9.]+ GB available\. Use a smaller --count", run.Stderr.Trim());
    }

    [Fact]
    public void GivenACountOnlyAStreamedPassCanHold_WhenEstimated_ThenPlainGenerateFitsWhereAHeldPassWouldNot()
    {
        // 200,000 designs x a 4x screen of 64 x 64 maps: a held pass needs hundreds of GB, a streamed one about 1 GB.
        double held = GenerationMemory.EstimateBytes(800_000, 1024, 64);
        double streamed = GenerationMemory.EstimateStreamingBytes(800_000, ChunkedGeneration.DefaultChunkSize, 1024, 64);

        Assert.True(held > 100e9, $"held {held / 1e9:G3} GB");
        Assert.InRange(streamed, 0.5e9, 2e9);
        // The streamed estimate covers the measured peak (576 MB at 2,000 x 4, see GenerationMemory).
        Assert.True(GenerationMemory.EstimateStreamingBytes(8_000, ChunkedGeneration.DefaultChunkSize, 1024, 64) > 576e6);
    }

    [Fact]
    public void GivenAnEstimateBeyondTheAvailableMemory_WhenChecked_ThenItIsRefusedNamingBothAmounts()
    {
        var refused = Assert.Throws<InsufficientMemoryException>(() =>
            MlNetInverse.Physics.Runtime.MemoryBudget.Check(1e18, "the test needs about {0}", "Ask for less"));

        Assert.Matches(@"^the test needs about 1E\+09 GB; this machine has [0-9.]+ GB available\. Ask for less, or set MLNET_INVERSE_IGNORE_MEMORY_ESTIMATE=1", refused.Message);
    }
}
