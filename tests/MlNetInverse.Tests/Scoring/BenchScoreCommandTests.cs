using System.Text.RegularExpressions;
using Microsoft.ML;
using MlNetInverse.ML;
using MlNetInverse.ML.Generation;
using MlNetInverse.Models.CodePrior;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;

namespace MlNetInverse.Tests.Scoring;

/// <summary><c>bench score</c> on a tiny model: both engines side by side, peak RSS per run size, and the soak's statistics.</summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class BenchScoreCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenATinyModel_WhenBenchmarked_ThenThroughputOfBothEnginesPeakRssPerSizeAndFlatSoakStatisticsArePrinted()
    {
        string model;
        using (var generator = TinyGenerator.Create(samples: 2)) model = generator.Save(_folder.File("model.zip"));

        var run = CliRun.Of("bench", "score", "--model", model, "--batch", "64", "--blocks", "1", "--sizes", "100,300", "--soak", "256", "--work", _folder.File("work"));

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Matches(@"throughput torch \(cpu, TorchSharp\): \d+ images/s \(MDN [\d.]+ s, sampling [\d.]+ s, decode [\d.]+ s for 64 images\)", run.Stdout);
        Assert.Matches(@"throughput onnx \(cpu, ONNX Runtime\): \d+ images/s", run.Stdout);
        Assert.Matches(@"memory 100 targets: [\d.]+ s, \d+ images/s, peak RSS [1-9]\d* MB", run.Stdout);
        Assert.Matches(@"memory 300 targets: [\d.]+ s, \d+ images/s, peak RSS [1-9]\d* MB", run.Stdout);
        var soak = Regex.Match(run.Stdout, @"soak: 256 images; RSS start [1-9]\d* MB, end [1-9]\d* MB.*; live tensors start (?<start>\d+), end (?<end>\d+).*DisposeScope live start 0, end 0, max 0 \((?<created>\d+) tensors created and (?<disposed>\d+) disposed\)");
        Assert.True(soak.Success, run.Stdout);
        Assert.Equal(soak.Groups["start"].Value, soak.Groups["end"].Value);
        Assert.Equal(soak.Groups["created"].Value, soak.Groups["disposed"].Value);
        Assert.Empty(Directory.GetFiles(_folder.File("work")));
    }

    [Fact]
    public void GivenATinyModelAndACodePriorForIt_WhenBenchmarkedWithThePrior_ThenItsSamplingAndDecodeAreTimedWithGflops()
    {
        string model, prior = _folder.File("tiny.prior");
        using (var generator = TinyGenerator.Create(samples: 2)) model = generator.Save(_folder.File("model.zip"));
        var decoder = MicrostructureDecodeTransformer.FindIn(new MLContext().Inverse().LoadModel(model, out _))!;
        using (var untrained = new MaskedCodePrior(new CodePriorOptions
        {
            CodebookSize = decoder.VqVae.Quantizer.CodebookSize, GridSize = decoder.Architecture.LatentGridSize, Width = 8, Heads = 2, Layers = 1,
        }))
            untrained.Save(prior);

        var run = CliRun.Of("bench", "score", "--model", model, "--engines", "torch", "--batch", "16", "--blocks", "1", "--prior", prior);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Matches(@"code prior: 16 grids in 16 rounds, sampling [\d.]+ s \(\d+ grids/s, \d+ M multiply-adds each, [\d.]+ GFLOP/s, \d+ % of peak\), decode [\d.]+ s; \d+ images/s in all", run.Stdout);
        var missing = CliRun.Of("bench", "score", "--model", model, "--prior", _folder.File("none.prior"));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("--prior: file", missing.Stderr + missing.Stdout);
    }
}
