using System.Text.Json;

namespace MlNetInverse.Tests.Cli;

/// <summary>End-to-end runs of <c>simulate</c> through the real solver.</summary>
public sealed class SimulateCommandTests : IDisposable
{
    private static readonly string[] ResultFields = ["wavelength_nm", "R_x", "T_x", "A_x", "R_y", "T_y", "A_y", "A_avg"];

    private readonly TempFolder _folder = new();
    private readonly string _pattern;

    public SimulateCommandTests()
    {
        _pattern = _folder.Write("pattern.txt", PatternMaps.Random(seed: 5).ToText());
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenAPatternAndJson_WhenSimulating_ThenStdoutIsExactlyOneJsonObjectWithEveryField()
    {
        var run = CliRun.Of("simulate", "--pattern", _pattern, "--harmonics", "25", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal(new[] { "results", "absorption" }, root.EnumerateObject().Select(p => p.Name));
        var results = root.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(new double[] { 400, 500, 600, 700 }, results.Select(r => r.GetProperty("wavelength_nm").GetDouble()));
        foreach (var result in results)
        {
            Assert.Equal(ResultFields, result.EnumerateObject().Select(p => p.Name));
            double Get(string name) => result.GetProperty(name).GetDouble();
            Assert.Equal(1 - Get("R_x") - Get("T_x"), Get("A_x"), 12);
            Assert.Equal(1 - Get("R_y") - Get("T_y"), Get("A_y"), 12);
            Assert.Equal((Get("A_x") + Get("A_y")) / 2, Get("A_avg"), 12);
            Assert.InRange(Get("A_avg"), -1e-9, 1 + 1e-9);
        }
        Assert.InRange(root.GetProperty("absorption").GetDouble(), 0, 1);
    }

    [Fact]
    public void GivenAnyWorkerCount_WhenSimulatingWithJson_ThenTheOutputIsByteIdentical()
    {
        var runs = new[] { "1", "3", "0" }.Select(threads =>
            CliRun.Of("simulate", "--pattern", _pattern, "--harmonics", "25", "--wavelengths-nm", "420,470,520,570,620", "--threads", threads, "--json")).ToArray();

        Assert.All(runs, run => Assert.Equal(0, run.ExitCode));
        Assert.Equal(runs[0].Stdout, runs[1].Stdout);
        Assert.Equal(runs[0].Stdout, runs[2].Stdout);
    }

    [Fact]
    public void GivenAWavelengthOnARayleighAnomaly_WhenSimulatingWithJson_ThenOnlyThatResultIsFlaggedWithTheSolvedWavelength()
    {
        // 350 nm period on glass (n = 1.5): the (+-1, 0) orders graze the substrate at 525 nm.
        var run = CliRun.Of("simulate", "--pattern", _pattern, "--harmonics", "9", "--wavelengths-nm", "525,600", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.True(results[0].GetProperty("on_rayleigh_anomaly").GetBoolean());
        double solved = results[0].GetProperty("solved_wavelength_nm").GetDouble();
        Assert.NotEqual(525, solved);
        Assert.Equal(525, solved, 3);
        Assert.False(results[1].TryGetProperty("on_rayleigh_anomaly", out _));
        Assert.False(results[1].TryGetProperty("solved_wavelength_nm", out _));
    }

    [Fact]
    public void GivenATableRun_WhenAWavelengthIsOnARayleighAnomaly_ThenTheTableHasEveryWavelengthAWarningAndTheAbsorption()
    {
        var run = CliRun.Of("simulate", "--pattern", _pattern, "--harmonics", "9", "--wavelengths-nm", "525,600");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("525", run.Stdout);
        Assert.Contains("600", run.Stdout);
        Assert.Contains("warning:", run.Stdout);
        Assert.Contains("Rayleigh anomaly", run.Stdout);
        Assert.Contains("absorption", run.Stdout);
    }

    [Fact]
    public void GivenTheSameMapAsTxtAndPng_WhenSimulated_ThenTheJsonIsIdentical()
    {
        var png = _folder.File("pattern.png");
        PatternMaps.WritePng(png, PatternMaps.Random(seed: 5));

        var fromText = CliRun.Of("simulate", "--pattern", _pattern, "--harmonics", "9", "--json");
        var fromPng = CliRun.Of("simulate", "--pattern", png, "--harmonics", "9", "--json");

        Assert.Equal(0, fromText.ExitCode);
        Assert.Equal(fromText.Stdout, fromPng.Stdout);
    }

    [Fact]
    public void GivenAStackFileAndAnExplicitFlag_WhenSimulated_ThenTheFlagOverridesTheFile()
    {
        string Stack(int thickness) => """
            {"period_nm": 350, "materials": {"air": {"eps": "1"}, "si": {"eps": "12+0.5i"}, "glass": {"eps": "2.25"}},
             "superstrate": "air", "patterned_layer": {"material_a": "si", "material_b": "air", "thickness_nm": THICKNESS},
             "substrate": "glass", "wavelengths_nm": [500], "solver": {"harmonics": 9}}
            """.Replace("THICKNESS", thickness.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var thick = _folder.Write("thick.json", Stack(100));
        var thin = _folder.Write("thin.json", Stack(50));

        var overridden = CliRun.Of("simulate", "--pattern", _pattern, "--stack", thick, "--thickness-nm", "50", "--json");
        var direct = CliRun.Of("simulate", "--pattern", _pattern, "--stack", thin, "--json");
        var untouched = CliRun.Of("simulate", "--pattern", _pattern, "--stack", thick, "--json");

        Assert.Equal(0, overridden.ExitCode);
        Assert.Equal(direct.Stdout, overridden.Stdout);
        Assert.NotEqual(untouched.Stdout, overridden.Stdout);
    }

    [Fact]
    public void GivenACancelledToken_WhenSimulating_ThenExitCodeIs130AndStdoutIsEmpty()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var run = CliRun.Of(cancelled.Token, "simulate", "--pattern", _pattern, "--json");

        Assert.Equal(130, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Single(run.StderrLines);
    }
}
