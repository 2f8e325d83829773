using System.Runtime.InteropServices;
using MlNetInverse.Cli;

namespace MlNetInverse.Tests.Cli;

/// <summary>
/// <c>simulate</c> never prints a physically absurd answer with exit 0: results that break energy conservation and
/// inputs the solver cannot take are one error line; a gain medium gets a warning; a libtorch failure is one line.
/// </summary>
public sealed class PhysicsSanityTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public PhysicsSanityTests() => _folder.Write("p.txt", PatternMaps.Random(seed: 7).ToText());

    public void Dispose() => _folder.Dispose();

    [Theory]
    // A period 10^11 times too small either breaks energy conservation or makes libtorch's solve fail, depending on the
    // harmonics and the BLAS; either way the user gets one line and no numbers.
    [InlineData("--period-nm 1e-9", "non-physical result: [RT] = |libtorch failed: torch")]
    [InlineData("--wavelengths-nm 1e12", "non-physical result: [RTA] = ")]
    [InlineData("--wavelengths-nm 500,600,500", "Wavelengths must be distinct; 500 nm is given 2 times")]
    [InlineData("--eps-a 0 --factorization li", "has eps = 0 at 400 nm; Li's factorization divides by the permittivity")]
    // Valid harmonics counts far beyond memory: refused from the estimate at once, not OOM-killed or overflowing.
    [InlineData("--harmonics 16129", "RCWA with 16129 harmonics needs about [0-9.]+ GB .* GB available. Use fewer harmonics")]
    [InlineData("--harmonics 1002001", "RCWA with 1002001 harmonics needs about [0-9.E+]+ GB")]
    public void GivenInputOutsideThePhysics_WhenSimulated_ThenOneLineRefusesItAndNothingIsPrinted(string options, string expected)
    {
        var run = CliRun.Of(["simulate", "--pattern", _folder.File("p.txt"), .. options.Contains("--harmonics") ? [] : new[] { "--harmonics", "9" }, .. options.Split(' ')]);

        Assert.Equal(1, run.ExitCode);
        string line = Assert.Single(run.StderrLines);
        Assert.Matches(expected, line);
        Assert.DoesNotContain("frame #", line);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void GivenAGainMedium_WhenSimulated_ThenTheResultComesWithAWarning()
    {
        var run = CliRun.Of("simulate", "--pattern", _folder.File("p.txt"), "--harmonics", "9", "--eps-a", "12-0.5i");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("has gain (Im eps < 0): absorption can be negative", Assert.Single(run.StderrLines));
    }

    [Fact]
    public void GivenLibtorchFailuresOnParallelWorkers_WhenReported_ThenOneLineKeepsTheCauseWithoutTheFrameDump()
    {
        const string native = "torch.linalg.eig: input tensor should not contain infs or NaNs. Exception raised from linalg_eig_out at "
            + "/pytorch/aten/src/ATen/native/BatchLinearAlgebra.cpp:2985 (most recent call first):\nframe #0: c10::Error::Error(...) + 0xb0 (0x7ef2 in libc10.so)";
        var failure = new AggregateException(new ExternalException(native), new ExternalException(native));
        var error = new StringWriter();

        int exitCode = CliErrors.Report(failure, error, verbose: false);

        Assert.Equal(CliErrors.Failure, exitCode);
        Assert.Equal("error: libtorch failed: torch.linalg.eig: input tensor should not contain infs or NaNs. (run with --verbose for the native stack).",
            error.ToString().TrimEnd());
    }

    [Fact]
    public void GivenAStackWhoseWavelengthTheHarmonicsCannotResolve_WhenADatasetIsLabelled_ThenOneLineRefusesItAndNoFileIsLeft()
    {
        var stack = _folder.Write("far.json", MlNetInverse.Physics.Optics.OpticalStackFile.ToJson(
            MlNetInverse.Tests.Physics.Rcwa.RcwaReference.Stack(9, MlNetInverse.Physics.Rcwa.FourierFactorization.Laurent, 500, 1e12)));

        var run = CliRun.Of("data", "generate", "--count", "2", "--stack", stack, "--out", _folder.File("labels.parquet"), "--threads", "1");

        // As in simulate: the energy balance breaks, or libtorch's solve fails first; the judge refuses either way, in
        // one line without the native frame dump, and writes no labels.
        Assert.Equal(1, run.ExitCode);
        string line = Assert.Single(run.StderrLines);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(line,
            @"^error: Sample \d+ .* failed: (non-physical result: [RTA] = .* at 1000000000000 nm|torch\.linalg\.\w+: .*\(run with --verbose for the native stack\)\.$)"), line);
        Assert.DoesNotContain("frame #", line);
        Assert.False(File.Exists(_folder.File("labels.parquet")));
    }
}
