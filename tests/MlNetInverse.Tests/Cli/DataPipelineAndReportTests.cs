using SkiaSharp;

namespace MlNetInverse.Tests.Cli;

public sealed class DataPipelineAndReportTests : IDisposable
{
    private const string StackJson = """
        {"period_nm": 350, "materials": {"air": {"eps": "1"}, "si": {"eps": "12+0.5i"}, "glass": {"eps": "2.25"}},
         "superstrate": "air", "patterned_layer": {"material_a": "si", "material_b": "air", "thickness_nm": 100},
         "substrate": "glass", "wavelengths_nm": [500, 600], "solver": {"harmonics": 9, "factorization": "li"}}
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Pipeline(string datasetBody) => _folder.Write("pipelines/p.json", "{\"name\": \"t\", \"dataset\": {" + datasetBody + "}}");

    [Fact]
    public void GivenAPipelineFile_WhenGenerating_ThenTheFileIsByteIdenticalToTheEquivalentFlags()
    {
        var stack = _folder.Write("pipelines/stacks/s.json", StackJson);
        var pipeline = Pipeline("""
            "count": 6, "seed": 3, "stack": "stacks/s.json", "threads": 2, "out": "../data/a.parquet",
            "grf": {"family": "ring", "mean_wavenumber": [1.5, 4], "std_wavenumber": [0.4, 1.2], "volume_fraction": [0.1, 0.9]}
            """);

        var fromPipeline = CliRun.Of("data", "generate", "--pipeline", pipeline);
        var fromFlags = CliRun.Of("data", "generate", "--count", "6", "--seed", "3", "--stack", stack, "--out", _folder.File("data/b.parquet"));

        Assert.Equal(0, fromPipeline.ExitCode);
        Assert.Equal(0, fromFlags.ExitCode);
        Assert.Equal(File.ReadAllBytes(_folder.File("data/a.parquet")), File.ReadAllBytes(_folder.File("data/b.parquet")));
    }

    [Theory]
    [InlineData("\"count\": 4, \"stack\": \"s.json\", \"out\": \"a.parquet\", \"colour\": 1", "colour")]
    [InlineData("\"count\": \"four\", \"stack\": \"s.json\", \"out\": \"a.parquet\"", "dataset.count")]
    [InlineData("\"count\": 4, \"out\": \"a.parquet\"", "'dataset.stack' is required")]
    [InlineData("\"count\": 4, \"stack\": \"s.json\", \"out\": \"a.parquet\", \"grf\": {\"volume_fraction\": [0.2]}", "'dataset.grf.volume_fraction' must be [min, max]")]
    public void GivenABadPipeline_WhenGenerating_ThenOneLineNamesTheKeyAndNothingIsWritten(string body, string expected)
    {
        var pipeline = Pipeline(body);
        var before = _folder.Snapshot();

        var run = CliRun.Of("data", "generate", "--pipeline", pipeline);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.StderrLines));
        Assert.Equal(before, _folder.Snapshot());
    }

    [Fact]
    public void GivenADataset_WhenDescribed_ThenTheSpreadIsPrintedAndTheHistogramIsAPng()
    {
        var stack = _folder.Write("s.json", StackJson);
        var data = _folder.File("d.parquet");
        Assert.Equal(0, CliRun.Of("data", "generate", "--count", "5", "--stack", stack, "--out", data).ExitCode);
        var png = _folder.File("h/histogram.png");

        var run = CliRun.Of("data", "describe", data, "--histogram", png);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("below 0.55 / 0.55-0.75 / above 0.75", run.Stdout);
        Assert.Contains("9 harmonics, Li", run.Stdout);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((900, 520), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public void GivenTwoHarmonicCounts_WhenAConvergenceStudyRuns_ThenTheReportComparesBothRulesAndTheNextCount()
    {
        var stack = _folder.Write("s.json", StackJson);
        var report = _folder.File("convergence.md");

        var run = CliRun.Of("data", "convergence", "--stack", stack, "--count", "2", "--harmonics", "1,9", "--out", report);

        Assert.Equal(0, run.ExitCode);
        var markdown = File.ReadAllText(report);
        Assert.Contains("| Laurent | 1 -> 9 |", markdown);
        Assert.Contains("| Li | 1 -> 9 |", markdown);
        Assert.Contains("| 9 |", markdown);
    }

    [Fact]
    public void GivenADataset_WhenAConvergenceStudyRunsOnIt_ThenItStudiesTheDatasetsOwnPatternsOnItsOwnStack()
    {
        var stack = _folder.Write("s.json", StackJson.Replace("\"harmonics\": 9", "\"harmonics\": 25"));
        var data = _folder.File("d.parquet");
        Assert.Equal(0, CliRun.Of("data", "generate", "--count", "3", "--stack", stack, "--out", data).ExitCode);

        var run = CliRun.Of("data", "convergence", "--data", data, "--count", "2", "--harmonics", "1,9");
        var tooMany = CliRun.Of("data", "convergence", "--data", data, "--count", "4", "--harmonics", "1,9");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("| Li | 1 -> 9 |", run.Stdout);
        Assert.Equal(1, tooMany.ExitCode);
        Assert.Contains("holds 3 rows; --count asks for 4", Assert.Single(tooMany.StderrLines));
    }

    [Fact]
    public void GivenADatasetOfTwelveRows_WhenDescribed_ThenTheShareOfTheLabelVfExplainsIsPrinted()
    {
        var stack = _folder.Write("s.json", StackJson);
        var data = _folder.File("d12.parquet");
        Assert.Equal(0, CliRun.Of("data", "generate", "--count", "12", "--stack", stack, "--out", data).ExitCode);

        var run = CliRun.Of("data", "describe", data);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("label variance explained by VF alone", run.Stdout);
        Assert.Contains("by VF, ring mean and ring width", run.Stdout);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(run.Stdout, @"-?\d+\.\d % \(degree \d+\)").Count);
    }

    [Theory]
    [InlineData("1", "at least two counts")]
    [InlineData("9,1", "must increase")]
    [InlineData("9,10", "(2M+1)^2")]
    public void GivenBadHarmonics_WhenAConvergenceStudyIsAsked_ThenTheErrorNamesTheList(string list, string expected)
    {
        var run = CliRun.Of("data", "convergence", "--harmonics", list);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.StderrLines));
    }
}
