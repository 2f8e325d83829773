namespace MlNetInverse.Tests.Cli;

public sealed class DataGenerateCommandTests : IDisposable
{
    private const string StackJson = """
        {"period_nm": 350, "materials": {"air": {"eps": "1"}, "si": {"eps": "12+0.5i"}, "glass": {"eps": "2.25"}},
         "superstrate": "air", "patterned_layer": {"material_a": "si", "material_b": "air", "thickness_nm": 100},
         "substrate": "glass", "wavelengths_nm": [500, 600], "solver": {"harmonics": 9}}
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string> Cases => new()
    {
        { "--out x.parquet", "--count N is required" },
        { "--count 0 --out x.parquet", "--count must be at least 1; got 0" },
        { "--count ten --out x.parquet", "--count: 'ten' is not a whole number" },
        { "--count 10", "--out FILE.parquet is required" },
        { "--count 10 --out x.csv", "--out must name a .parquet file" },
        { "--count 10 --out x.parquet --threads 0", "--threads must be at least 1; got 0" },
        { "--count 10 --out x.parquet --seed 1.5", "--seed: '1.5' is not a whole number" },
        { "--count 10 --out x.parquet --stack missing.json", "missing.json' does not exist" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void GivenBadInput_WhenGenerating_ThenExitCodeIsOneWithOneLineAndNoFileWritten(string commandLine, string expected)
    {
        var args = new[] { "data", "generate" }
            .Concat(commandLine.Split(' ').Select(a => a.EndsWith(".parquet") || a.EndsWith(".json") || a.EndsWith(".csv") ? _folder.File(a) : a))
            .ToArray();

        var run = CliRun.Of(args);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.StderrLines));
        Assert.Equal("", run.Stdout);
        Assert.Empty(_folder.Snapshot());
    }

    [Fact]
    public void GivenASmallCount_WhenGenerating_ThenTheFileIsWrittenAndTheSummaryReportsCountAndAbsorption()
    {
        var stack = _folder.Write("stack.json", StackJson);
        var output = _folder.File("out/train.parquet");

        var run = CliRun.Of("data", "generate", "--count", "4", "--out", output, "--stack", stack, "--threads", "2");

        Assert.Equal(0, run.ExitCode);
        Assert.True(File.Exists(output));
        Assert.Contains("absorption min / mean / max", run.Stdout);
        Assert.Contains("4 (0 resumed)", run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void GivenACancelledToken_WhenGenerating_ThenExitCodeIs130AndTheMessageSaysARerunResumes()
    {
        var stack = _folder.Write("stack.json", StackJson);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var run = CliRun.Of(cancelled.Token, "data", "generate", "--count", "4", "--out", _folder.File("train.parquet"), "--stack", stack);

        Assert.Equal(130, run.ExitCode);
        Assert.Contains("rerun the same command to resume", Assert.Single(run.StderrLines));
    }
}
