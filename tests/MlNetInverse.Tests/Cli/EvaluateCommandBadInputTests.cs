namespace MlNetInverse.Tests.Cli;

/// <summary>Bad input to <c>evaluate</c>: one clear error line, exit code 1, and nothing written.</summary>
public sealed class EvaluateCommandBadInputTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _model;

    public EvaluateCommandBadInputTests() => _model = _folder.Write("model.zip", "not a zip");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("--targets", "0.6,abc", "error: --targets: 'abc' is not a number; write a list like 0.55,0.6,0.65.")]
    [InlineData("--targets", "0.6,1.5", "error: --targets: 1.5 is not a target absorption; it must be a number in (0, 1], e.g. 0.65.")]
    [InlineData("--methods", "proposed,vae-gan", "error: --methods: 'vae-gan' is not a method; known methods are paper, proposed, proposed+rank, code-prior, vf-control, vf-control+screen, gan-mdn, pca-mdn, mdn-inverse, optimization.")]
    [InlineData("--methods", ",", "error: --methods: the list is empty; name one or more of paper, proposed, proposed+rank, code-prior, vf-control, vf-control+screen, gan-mdn, pca-mdn, mdn-inverse, optimization.")]
    [InlineData("--samples", "0", "error: --samples must be at least 1 design per target; got 0.")]
    [InlineData("--optimization-budget", "10", "error: --optimization-budget (10) must be at least --samples (30): the optimisation returns its best distinct simulated designs.")]
    [InlineData("--oversample", "0", "error: --oversample must be at least 1 draw per design; got 0.")]
    [InlineData("--seeds", "7,x", "error: --seeds: 'x' is not a seed; write a list like 7,8,9 or a count like 3 (--seed and the next ones).")]
    [InlineData("--seeds", "0", "error: --seeds: a count of seeds must be 1 to 100; got 0 (a list of seeds needs a comma, e.g. 0,1).")]
    [InlineData("--seeds", "7,8,7", "error: --seeds: seed 7 is listed twice; each seed's designs would count twice.")]
    [InlineData("--judge-check", "-1", "error: --judge-check must be 0 (off) or a number of designs per cell to re-simulate; got -1.")]
    [InlineData("--shard", "5/4", "error: --shard: '5/4': shard 5 of 4 does not exist; shards are numbered 1 to 4.")]
    public void GivenABadValue_WhenEvaluateRuns_ThenOneLineNamesTheProblemAndNothingIsWritten(string option, string value, string expected)
    {
        var before = _folder.Snapshot();

        var run = CliRun.Of("evaluate", "--model", _model, "--out", _folder.File("out"), option, value);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal([expected], run.StderrLines);
        Assert.Equal(before, _folder.Snapshot());
        Assert.False(Directory.Exists(_folder.File("out")));
    }

    [Fact]
    public void GivenASeedOutsideTheListOfSeeds_WhenEvaluateRuns_ThenOneLineSaysSoAndNothingIsWritten()
    {
        var run = CliRun.Of("evaluate", "--model", _model, "--out", _folder.File("out"), "--seed", "3", "--seeds", "7,8");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["error: --seed 3 is not in the --seeds list 7,8: a list names every seed; drop --seed or add it to the list."], run.StderrLines);
        Assert.False(Directory.Exists(_folder.File("out")));
    }

    [Fact]
    public void GivenAMissingModel_WhenEvaluateRuns_ThenOneLineNamesTheFile()
    {
        var run = CliRun.Of("evaluate", "--model", _folder.File("nope.zip"), "--out", _folder.File("out"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal([$"error: --model: file '{_folder.File("nope.zip")}' does not exist."], run.StderrLines);
        Assert.False(Directory.Exists(_folder.File("out")));
    }

    [Fact]
    public void GivenAFileThatIsNoModel_WhenEvaluateRuns_ThenOneLineSaysItCannotBeLoadedAndNothingIsWritten()
    {
        var before = _folder.Snapshot();

        var run = CliRun.Of("evaluate", "--model", _model, "--out", _folder.File("out"), "--methods", "proposed");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"error: Model file '{_model}' cannot be loaded", Assert.Single(run.StderrLines));
        Assert.Equal(before, _folder.Snapshot());
        Assert.False(Directory.Exists(_folder.File("out")));
    }

    [Fact]
    public void GivenNoOutFolder_WhenEvaluateRuns_ThenTheErrorAsksForOne()
    {
        var run = CliRun.Of("evaluate", "--model", _model);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["error: --out DIR is required: the folder for the report."], run.StderrLines);
    }
}
