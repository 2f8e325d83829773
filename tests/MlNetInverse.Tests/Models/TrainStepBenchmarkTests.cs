using MlNetInverse.Models.Benchmarks;
using MlNetInverse.Tests.Cli;

namespace MlNetInverse.Tests.Models;

public sealed class TrainStepBenchmarkTests
{
    private const string PeerOutput = """
        PyTorch 1.13.0a0 threads=1 K=512 D=16 B=128
        TRAIN step cpu-median=305.2 ms wall-median=310.4 ms  min=301.0  max=355.9  (412 img/s)
        ENCODE-only median=10.11 ms ; VQ dist+argmin median=20.50 ms
        DECODE-only batch 128: median=49.40 ms -> 2591 img/s
        FULL recon (enc+vq+dec) batch 128: median=80.00 ms -> 1600 img/s
        """;

    [Fact]
    public void GivenThePeerScriptOutput_WhenParsed_ThenWallMedianMinMaxDecodeAndHeaderAreRead()
    {
        var result = PyTorchPeerBenchmark.Parse(PeerOutput);
        Assert.Equal("PyTorch 1.13.0a0", result.Framework);
        Assert.Equal(128, result.BatchSize);
        Assert.Equal(1, result.Threads);
        Assert.Equal(310.4, result.TrainStepMedianMs);
        Assert.Equal(301.0, result.TrainStepMinMs);
        Assert.Equal(355.9, result.TrainStepMaxMs);
        Assert.Equal(49.40, result.DecodeMedianMs);
        Assert.Equal(128 / 0.3104, result.TrainImagesPerSecond, 6);
    }

    [Fact]
    public void GivenOutputWithoutATrainLine_WhenParsed_ThenTheErrorQuotesTheOutput()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PyTorchPeerBenchmark.Parse("Traceback: ModuleNotFoundError: torch"));
        Assert.Contains("ModuleNotFoundError", error.Message);
    }

    [Fact]
    public void GivenATinyRun_WhenBenchmarkingTorchSharp_ThenEveryTimingIsPositiveAndConsistent()
    {
        var result = VqVaeTrainStepBenchmark.Run(new TrainStepBenchmarkOptions { CodebookSize = 16, CodeDimension = 4, BatchSize = 2, WarmUpSteps = 1, Steps = 3 });
        Assert.StartsWith("TorchSharp ", result.Framework);
        Assert.Equal(2, result.BatchSize);
        Assert.True(result.TrainStepMinMs > 0 && result.TrainStepMinMs <= result.TrainStepMedianMs && result.TrainStepMedianMs <= result.TrainStepMaxMs);
        Assert.True(result.DecodeMedianMs > 0);
    }

    [Theory]
    [InlineData(new[] { 3.0 }, 3.0)]
    [InlineData(new[] { 5.0, 1.0, 3.0 }, 3.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 3.0)] // index count/2 of the sorted values, as the peer script takes it
    public void GivenTimings_WhenTakingTheMedian_ThenThePeerScriptsDefinitionIsUsed(double[] values, double median)
    {
        Assert.Equal(median, VqVaeTrainStepBenchmark.Median(values));
    }

    [Fact]
    public void GivenATinyConfigurationWithoutPyTorch_WhenRunningBenchTrain_ThenTorchSharpNumbersAndTheSkipReasonArePrinted()
    {
        var run = CliRun.Of("bench", "train", "--codebook-size", "16", "--code-dim", "4", "--batch", "2", "--steps", "2", "--warmup", "1", "--pytorch", "off");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("train images/s", run.Stdout);
        Assert.Contains("decode images/s", run.Stdout);
        Assert.Contains("PyTorch comparison skipped: --pytorch off", run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Theory]
    [InlineData("--pytorch maybe", "--pytorch must be auto, on or off; got 'maybe'")]
    [InlineData("--codebook-size 1", "--codebook-size must be at least 2; got 1")]
    [InlineData("--steps 0", "--steps must be at least 1; got 0")]
    [InlineData("--warmup -1", "--warmup must be at least 0; got -1")]
    public void GivenBadOptions_WhenRunningBenchTrain_ThenOneLineNamesTheOption(string commandLine, string expected)
    {
        var run = CliRun.Of(new[] { "bench", "train" }.Concat(commandLine.Split(' ')).ToArray());
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.StderrLines));
    }

    [Fact]
    public void GivenPyTorchOnWithAMissingInterpreter_WhenRunningBenchTrain_ThenItFailsWithTheInstallHint()
    {
        var run = CliRun.Of("bench", "train", "--pytorch", "on", "--python", "/nonexistent/python3", "--steps", "1");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot import torch", Assert.Single(run.StderrLines));
        Assert.Contains(PyTorchPeerBenchmark.InstallHint, run.Stderr);
    }
}
