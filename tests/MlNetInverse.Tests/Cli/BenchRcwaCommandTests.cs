using MlNetInverse.Cli.Commands;

namespace MlNetInverse.Tests.Cli;

public sealed class BenchRcwaCommandTests
{
    [Theory]
    [InlineData("--harmonics 100", "--harmonics")]
    [InlineData("--harmonics abc", "--harmonics: 'abc' is not a whole number")]
    [InlineData("--repeats 0", "--repeats must be at least 1; got 0")]
    [InlineData("--threads -1", "--threads must be 0 (one per core) or at least 1; got -1")]
    [InlineData("--load -1", "--load must be 0 or more busy threads; got -1")]
    [InlineData("--wavelengths -2", "--wavelengths must be 0 (skip the simulate path) or at least 1; got -2")]
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
    public void GivenFewHarmonicsAndRepeats_WhenBenchmarking_ThenTheBareSolverAndTheSimulatePathAreReportedWithTheirRatio()
    {
        var run = CliRun.Of("bench", "rcwa", "--harmonics", "9", "--repeats", "3", "--threads", "2", "--load", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("bare solver, 500 nm", run.Stdout);
        Assert.Contains("simulate, 9 wavelengths, 2 worker(s)", run.Stdout);
        Assert.Contains("median s/call", run.Stdout);
        Assert.Contains("s/wavelength", run.Stdout);
        Assert.Contains("simulate per wavelength / bare median: ", run.Stdout);
        Assert.Contains("background load: 1 busy thread(s)", run.Stdout);
        Assert.Contains("harmonics/s", run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void GivenNoSimulateWavelengths_WhenBenchmarking_ThenOnlyTheBareSolverIsTimed()
    {
        var run = CliRun.Of("bench", "rcwa", "--harmonics", "9", "--repeats", "2", "--wavelengths", "0");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("bare solver, 500 nm", run.Stdout);
        Assert.DoesNotContain("simulate per wavelength", run.Stdout);
    }

    [Fact]
    public void GivenNineWavelengths_WhenSpreadForTheSimulatePath_ThenTheyStepBy50NmFrom400To800()
    {
        Assert.Equal([400.0, 450, 500, 550, 600, 650, 700, 750, 800], BenchRcwaCommand.SimulateWavelengths(9));
        Assert.Equal([600.0], BenchRcwaCommand.SimulateWavelengths(1));
    }
}
