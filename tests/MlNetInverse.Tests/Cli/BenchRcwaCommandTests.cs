using MlNetInverse.Cli.Commands;

namespace MlNetInverse.Tests.Cli;

public sealed class BenchRcwaCommandTests
{
    [Theory]
    [InlineData("--harmonics 100", "--harmonics")]
    [InlineData("--harmonics abc", "--harmonics: 'abc' is not a whole number")]
    [InlineData("--repeats 0", "--repeats must be at least 1; got 0")]
    [InlineData("--threads 0", "--threads must be at least 1; got 0")]
    [InlineData("--wavelength-nm -500", "--wavelength-nm must be a positive finite number")]
    [InlineData("--wavelength-nm NaN", "--wavelength-nm must be a positive finite number")]
    [InlineData("--factorization fft", "--factorization: factorization 'fft' is unknown")]
    public void GivenBadInput_WhenBenchmarking_ThenExitCodeIsOneWithOneLineNamingTheOption(string commandLine, string expected)
    {
        var run = CliRun.Of(new[] { "bench", "rcwa" }.Concat(commandLine.Split(' ')).ToArray());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.StderrLines));
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [InlineData(new[] { 3.0 }, 3.0)]
    [InlineData(new[] { 5.0, 1.0, 3.0 }, 3.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5)]
    public void GivenTimings_WhenTakingTheMedian_ThenTheMiddleValueIsReturned(double[] seconds, double median)
    {
        Assert.Equal(median, BenchRcwaCommand.Median(seconds));
    }

    [Fact]
    public void GivenFewHarmonicsAndRepeats_WhenBenchmarking_ThenMedianMinAndHarmonicsPerSecondAreReported()
    {
        var run = CliRun.Of("bench", "rcwa", "--harmonics", "9", "--repeats", "3");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("median s/call", run.Stdout);
        Assert.Contains("min s/call", run.Stdout);
        Assert.Contains("harmonics/s", run.Stdout);
        Assert.Equal("", run.Stderr);
    }
}
