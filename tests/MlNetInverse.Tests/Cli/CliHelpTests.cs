namespace MlNetInverse.Tests.Cli;

public sealed class CliHelpTests
{
    [Theory]
    [InlineData("--help", "mlnet-inverse [OPTIONS] <COMMAND>")]
    [InlineData("simulate --help", "mlnet-inverse simulate [OPTIONS]")]
    [InlineData("bench --help", "mlnet-inverse bench [OPTIONS] <COMMAND>")]
    [InlineData("bench rcwa --help", "mlnet-inverse bench rcwa [OPTIONS]")]
    [InlineData("data --help", "mlnet-inverse data [OPTIONS] <COMMAND>")]
    [InlineData("data generate --help", "mlnet-inverse data generate [OPTIONS]")]
    [InlineData("info --help", "mlnet-inverse info [OPTIONS]")]
    [InlineData("train --help", "mlnet-inverse train [OPTIONS] [COMMAND]")]
    [InlineData("generate --help", "mlnet-inverse generate [OPTIONS]")]
    [InlineData("train vqvae --help", "mlnet-inverse train vqvae [OPTIONS]")]
    [InlineData("train surrogate --help", "mlnet-inverse train surrogate [OPTIONS]")]
    public void GivenACommandOrBranch_WhenHelpIsAsked_ThenItsUsageIsPrintedAndTheExitCodeIsZero(string commandLine, string usage)
    {
        var run = CliRun.Of(commandLine.Split(' '));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("USAGE:", run.Stdout);
        Assert.Contains(usage, run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void GivenSimulateHelp_WhenPrinted_ThenEveryScriptedOptionIsListed()
    {
        var run = CliRun.Of("simulate", "--help");

        foreach (var option in new[] { "--pattern", "--period-nm", "--thickness-nm", "--eps-a", "--eps-b", "--eps-superstrate",
                     "--eps-substrate", "--wavelengths-nm", "--harmonics", "--factorization", "--stack", "--json" })
            Assert.Contains(option, run.Stdout);
    }

    [Fact]
    public void GivenVersionFlag_WhenRun_ThenTheVersionIsPrinted()
    {
        var run = CliRun.Of("--version");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^\d+\.\d+", run.Stdout.Trim());
    }

    [Fact]
    public void GivenInfo_WhenRun_ThenVersionsAllocatorThreadsAndCudaAreReported()
    {
        var run = CliRun.Of("info");

        Assert.Equal(0, run.ExitCode);
        foreach (var row in new[] { "TorchSharp", "libtorch", "ML.NET", "allocator", "torch threads", "CUDA available" })
            Assert.Contains(row, run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void GivenAnUnknownCommand_WhenRun_ThenOneErrorLineAndExitCodeOne()
    {
        var run = CliRun.Of("frobnicate");

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.StderrLines);
        Assert.Contains("frobnicate", run.Stderr);
        Assert.Equal("", run.Stdout);
    }
}
