using System.Text.RegularExpressions;
using Microsoft.ML;
using MlNetInverse.Cli.Commands;
using MlNetInverse.Cli.Reports;
using MlNetInverse.ML;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Tests.Models;
using SkiaSharp;

namespace MlNetInverse.Tests.Cli;

[Collection(TorchDeterminismCollection.Name)]
public sealed class TrainVqVaeCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _data;

    public TrainVqVaeCommandTests() => _data = TrainingDatasetFile.WriteTo(_folder.File("train.parquet"));

    public void Dispose() => _folder.Dispose();

    /// <summary>A tiny, fast configuration; more flags can be appended.</summary>
    private string[] Args(string output, params string[] extra) =>
    [
        "train", "vqvae", "--data", _data, "--out", output, "--epochs", "2", "--codebook-size", "16", "--code-dim", "4",
        "--latent-grid", "16", "--hidden-channels", "4", "--batch", "16", "--lr", "0.01", "--threads", "1", "--held-out", "0.25",
        "--surrogate-epochs", "1", "--seed", "2", .. extra,
    ];

    [Fact]
    public void GivenATinyDataset_WhenTrained_ThenTheZipGridAndHeldOutReportAreWrittenAndTheRcwaCheckRuns()
    {
        var output = _folder.File("models/vqvae.zip");

        var run = CliRun.Of(Args(output, "--rcwa-check", "3"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("", run.Stderr);
        Assert.Contains("held-out test set", run.Stdout);
        Assert.Contains("12 (25 %, seed 2; never trained on)", run.Stdout);
        foreach (var row in new[] { "pixel accuracy", "reconstruction error", "perplexity", "codes used", "training (not test results)",
                     "throughput", "surrogate trained in Fit", "RCWA check (held-out)", "3 originals, 3 binarized reconstructions", "mean REP", $"model: {output}" })
            Assert.Contains(row, run.Stdout);
        // The dataset's labels came from the same stack, so simulating the originals again reproduces them.
        var labelDifference = Regex.Match(run.Stdout, @"max \|difference\| (?<value>\S+)");
        Assert.True(double.Parse(labelDifference.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture) < 1e-9, run.Stdout);

        var vqVae = VqVaeTransformer.FindIn(new MLContext().Inverse().LoadModel(output, out var schema))!;
        Assert.Equal(16, vqVae.Architecture.CodebookSize);
        Assert.Equal(4096, ((Microsoft.ML.Data.VectorDataViewType)schema["Image"].Type).Size);
        Assert.False(File.Exists(output + ".checkpoint"));
        Assert.False(File.Exists(output + ".surrogate.checkpoint"));

        using var grid = SKBitmap.Decode(TrainVqVaeCommand.GridPath(output));
        var (left, top) = ReconstructionGridPng.TileOrigin(TrainVqVaeCommand.GridColumns, ReconstructionGridPng.TileRows, 64);
        Assert.Equal((left, top), (grid.Width, grid.Height));
    }

    [Fact]
    public void GivenASurrogateZip_WhenTrained_ThenTheAbsorptionLossUsesIt()
    {
        var surrogate = _folder.File("surrogate.zip");
        var first = CliRun.Of("train", "surrogate", "--data", _data, "--out", surrogate, "--epochs", "1", "--base-channels", "2", "--hidden-units", "4", "--threads", "1");
        Assert.True(first.ExitCode == 0, first.Stderr);

        var run = CliRun.Of(Args(_folder.File("vqvae.zip"), "--surrogate", surrogate));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("given surrogate (held-out R^2", run.Stdout);
    }

    [Fact]
    public void GivenACancelledRun_WhenTheSameCommandRunsAgain_ThenItResumesFromTheCheckpoint()
    {
        var output = _folder.File("vqvae.zip");
        using var cancellation = new CancellationTokenSource();
        // Cancel as soon as the first epoch's checkpoint exists. A dedicated thread, not the thread pool, so a busy
        // test run cannot delay the watcher until all 200 epochs are done.
        var watcher = new Thread(() =>
        {
            while (!File.Exists(output + ".checkpoint") && !cancellation.IsCancellationRequested) Thread.Sleep(1);
            cancellation.Cancel();
        });
        watcher.Start();
        var cancelled = CliRun.Of(cancellation.Token, Args(output, "--beta", "0", "--epochs", "200"));
        watcher.Join();

        Assert.True(cancelled.ExitCode == 130, cancelled.Stdout + cancelled.Stderr);
        Assert.Contains("rerun the same command to resume", Assert.Single(cancelled.StderrLines));
        Assert.False(File.Exists(output));
        Assert.True(File.Exists(output + ".checkpoint"));

        // Same command, fewer epochs: the checkpoint fits (epochs are not part of its fingerprint) and already holds some.
        var resumed = CliRun.Of(Args(output, "--beta", "0", "--epochs", "40"));

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var epochs = Regex.Match(resumed.Stdout, @"40 \((?<resumed>\d+) resumed\)");
        Assert.True(epochs.Success, resumed.Stdout);
        Assert.InRange(int.Parse(epochs.Groups["resumed"].Value), 1, 39);
        Assert.True(File.Exists(output));
    }

    public static TheoryData<string, string> BadInput => new TheoryData<string, string>
    {
        { "--out m.zip", "--data FILE.parquet is required" },
        { "--data missing.parquet --out m.zip", "--data: file '" },
        { "--data DATA --out m.txt", "--out must name a .zip file; got '" },
        { "--data DATA.csv --out m.zip", "--data must name a .parquet file" },
        { "--data DATA", "--out FILE.zip is required" },
        { "--data DATA --out m.zip --epochs 0", "--epochs must be at least 1; got 0" },
        { "--data DATA --out m.zip --epochs ten", "--epochs: 'ten' is not a whole number" },
        { "--data DATA --out m.zip --lr -1", "--lr must be a positive finite number; got -1" },
        { "--data DATA --out m.zip --lr fast", "--lr: 'fast' is not a number" },
        { "--data DATA --out m.zip --beta -0.5", "--beta must be a finite number >= 0; got -0.5" },
        { "--data DATA --out m.zip --held-out 1.5", "--held-out must be a fraction between 0 and 1 (exclusive); got 1.5" },
        { "--data DATA --out m.zip --device gpu", "--device must be cpu, cuda or auto; got 'gpu'" },
        { "--data DATA --out m.zip --latent-grid 3", "--latent-grid must be a power of two" },
        { "--data DATA --out m.zip --latent-grid 32", "LatentGridSize must be ImageSize (64) divided by a power of two >= 4" },
        { "--data DATA --out m.zip --codebook-size 1", "--codebook-size must be at least 2; got 1" },
        { "--data DATA --out m.zip --surrogate missing.zip", "--surrogate: file '" },
        { "--data DATA --out m.zip --surrogate DATA", "--surrogate must name a .zip file" },
        { "--data DATA --out m.zip --rcwa-check -1", "--rcwa-check must be 0 (off)" },
        { "--data DATA --out train.parquet/m.zip", "train.parquet/m.zip' cannot be created: '" },
    }.WithoutCudaOnly("--data DATA --out m.zip --device cuda", "CUDA was requested but torch.cuda.is_available() is false");

    [Theory]
    [MemberData(nameof(BadInput))]
    public void GivenBadInput_WhenTraining_ThenExitCodeIsOneWithOneLineAndNothingIsWritten(string commandLine, string expected)
    {
        var args = new[] { "train", "vqvae" }.Concat(commandLine.Split(' ').Select(a => a switch
        {
            "DATA" => _data,
            "DATA.csv" => _folder.Write("data.csv", "x"),
            _ when a.EndsWith(".zip") || a.EndsWith(".txt") || a.EndsWith(".parquet") => _folder.File(a),
            _ => a,
        })).ToArray();
        var before = _folder.Snapshot().Where(f => !f.Contains("data.csv")).ToArray();

        var run = CliRun.Of(args);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.StderrLines));
        Assert.Equal(before, _folder.Snapshot().Where(f => !f.Contains("data.csv")).ToArray());
        Assert.DoesNotContain("held-out", run.Stdout);
    }

    [Fact]
    public void GivenAFileThatIsNotADataset_WhenTraining_ThenOneLineNamesTheFile()
    {
        var fake = _folder.Write("fake.parquet", "not parquet at all");

        var run = CliRun.Of("train", "vqvae", "--data", fake, "--out", _folder.File("m.zip"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("fake.parquet", Assert.Single(run.StderrLines));
        Assert.False(File.Exists(_folder.File("m.zip")));
    }

    [Fact]
    public void GivenHelp_WhenAsked_ThenEveryTrainingOptionIsListed()
    {
        var run = CliRun.Of("train", "vqvae", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var option in new[] { "--data", "--out", "--epochs", "--codebook-size", "--code-dim", "--latent-grid", "--batch", "--lr", "--alpha",
                     "--beta", "--theta", "--surrogate", "--seed", "--device", "--threads", "--held-out", "--rcwa-check" })
            Assert.Contains(option, run.Stdout);
    }
}
