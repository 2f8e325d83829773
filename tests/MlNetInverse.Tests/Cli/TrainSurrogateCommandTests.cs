using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML;
using MlNetInverse.ML;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.Tests.Models;

namespace MlNetInverse.Tests.Cli;

[Collection(TorchDeterminismCollection.Name)]
public sealed class TrainSurrogateCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _data;

    public TrainSurrogateCommandTests() => _data = TrainingDatasetFile.WriteTo(_folder.File("train.parquet"));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenATinyDataset_WhenTrained_ThenTheZipKeepsTheHeldOutErrorsThatArePrinted()
    {
        var output = _folder.File("out/surrogate.zip");

        var run = CliRun.Of("train", "surrogate", "--data", _data, "--out", output, "--epochs", "2", "--base-channels", "2",
            "--hidden-units", "4", "--batch", "16", "--held-out", "0.25", "--threads", "1", "--seed", "3");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("", run.Stderr);
        var surrogate = AbsorptionSurrogateTransformer.FindIn(new MLContext().Inverse().LoadModel(output, out _))!;
        var heldOut = surrogate.HeldOut!;
        Assert.Equal(12, heldOut.Count);
        Assert.Contains("held-out test set", run.Stdout);
        Assert.Contains("12 (25 %, seed 3; never trained on)", run.Stdout);
        var mae = Regex.Match(run.Stdout, @"MAE\s*\S*\s*(?<value>[0-9.]+)");
        Assert.Equal(heldOut.MeanAbsoluteError, double.Parse(mae.Groups["value"].Value, CultureInfo.InvariantCulture), 5);
        Assert.Contains("R^2", run.Stdout);
        Assert.Contains($"model: {output}", run.Stdout);
        Assert.False(File.Exists(output + ".checkpoint"));
    }

    public static TheoryData<string, string> BadInput => new TheoryData<string, string>
    {
        { "--data DATA --out s.zip --epochs 0", "--epochs must be at least 1; got 0" },
        { "--data DATA --out s.zip --batch many", "--batch: 'many' is not a whole number" },
        { "--data DATA --out s.zip --held-out 0", "--held-out must be a fraction between 0 and 1 (exclusive); got 0" },
        { "--data DATA --out s.zip --base-channels 0", "--base-channels must be at least 1; got 0" },
        { "--data DATA --out s.zip --threads -2", "--threads must be 0 (torch's setting) or at least 1; got -2" },
        { "--data missing.parquet --out s.zip", "--data: file '" },
        { "--data DATA --out s.json", "--out must name a .zip file" },
        { "--data DATA --out train.parquet/s.zip", "train.parquet/s.zip' cannot be created: '" },
    }.WithoutCudaOnly("--data DATA --out s.zip --device cuda", "CUDA was requested but torch.cuda.is_available() is false");

    [Theory]
    [MemberData(nameof(BadInput))]
    public void GivenBadInput_WhenTraining_ThenExitCodeIsOneWithOneLineAndNothingIsWritten(string commandLine, string expected)
    {
        var args = new[] { "train", "surrogate" }
            .Concat(commandLine.Split(' ').Select(a => a == "DATA" ? _data : a.Contains('.') ? _folder.File(a) : a))
            .ToArray();
        var before = _folder.Snapshot();

        var run = CliRun.Of(args);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.StderrLines));
        Assert.Equal("", run.Stdout);
        Assert.Equal(before, _folder.Snapshot());
    }

    [Fact]
    public void GivenACancelledToken_WhenTraining_ThenExitCodeIs130AndNoZipIsWritten()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var output = _folder.File("surrogate.zip");

        var run = CliRun.Of(cancelled.Token, "train", "surrogate", "--data", _data, "--out", output, "--epochs", "1", "--threads", "1");

        Assert.Equal(130, run.ExitCode);
        Assert.False(File.Exists(output));
    }
}
