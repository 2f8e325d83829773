namespace MlNetInverse.Tests.Cli;

/// <summary>Bad input to <c>generate</c>: one clear error line, exit code 1, and nothing written.</summary>
public sealed class GenerateCommandBadInputTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _model;

    public GenerateCommandBadInputTests() => _model = _folder.Write("model.zip", "not a zip");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("--target", "NaN", "--target: NaN is not a target absorption; it must be a number in (0, 1]")]
    [InlineData("--target", "0", "--target: 0 is not a target absorption")]
    [InlineData("--target", "1.5", "--target: 1.5 is not a target absorption")]
    [InlineData("--target=-0.5", null, "--target: -0.5 is not a target absorption")]
    [InlineData("--target", "-0.5", "--target: -0.5 is not a target absorption")]
    [InlineData("--targets", "0.6,abc", "--targets: 'abc' is not a number")]
    [InlineData("--count", "0", "--count must be at least 1 design per target; got 0.")]
    [InlineData("--targets", "0.6501,0.6502", "--targets: 0.6501 and 0.6502 would share the output name 0.650")]
    [InlineData("--targets", "0.6,0.65,0.6", "--targets: 0.6 is given twice")]
    public void GivenABadValue_WhenGenerateRuns_ThenOneLineNamesTheOptionAndNothingIsWritten(string option, string? value, string expected)
    {
        var args = new List<string> { "generate", "--model", _model, "--out", _folder.File("out") };
        if (option is "--count") args.AddRange(["--target", "0.6"]);
        args.Add(option);
        if (value is not null) args.Add(value);
        var before = _folder.Snapshot();

        var run = CliRun.Of(args.ToArray());

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.Contains(expected, line);
        Assert.Equal(before, _folder.Snapshot());
        Assert.False(Directory.Exists(_folder.File("out")));
    }

    [Fact]
    public void GivenAMissingModel_WhenGenerateRuns_ThenOneLineNamesTheFile()
    {
        var run = CliRun.Of("generate", "--model", _folder.File("nope.zip"), "--target", "0.6", "--out", _folder.File("out"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal([$"error: --model: file '{_folder.File("nope.zip")}' does not exist."], run.StderrLines);
        Assert.False(Directory.Exists(_folder.File("out")));
    }

    [Fact]
    public void GivenAFileThatIsNoModel_WhenGenerateRuns_ThenOneLineSaysItCannotBeLoadedAndNothingIsWritten()
    {
        var before = _folder.Snapshot();

        var run = CliRun.Of("generate", "--model", _model, "--target", "0.6", "--out", _folder.File("out"));

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith($"error: Model file '{_model}' cannot be loaded", line);
        Assert.Equal(before, _folder.Snapshot());
    }

    [Fact]
    public void GivenAnOutFolderThatCannotBeCreated_WhenGenerateRuns_ThenOneLineSaysSoAndNothingIsWritten()
    {
        var blocker = _folder.Write("blocker", "a file where a folder should be");
        var before = _folder.Snapshot();

        var run = CliRun.Of("generate", "--model", _model, "--target", "0.6", "--out", Path.Combine(blocker, "designs"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal([$"error: --out '{Path.Combine(blocker, "designs")}' cannot be created: '{blocker}' is not a folder."], run.StderrLines);
        Assert.Equal(before, _folder.Snapshot());
    }

    [Fact]
    public void GivenBothTargetOptions_WhenGenerateRuns_ThenTheErrorAsksForOne()
    {
        var run = CliRun.Of("generate", "--model", _model, "--target", "0.6", "--targets", "0.6,0.7", "--out", _folder.File("out"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["error: give either --target or --targets, not both."], run.StderrLines);
    }
}
