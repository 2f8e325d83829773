namespace MlNetInverse.Tests.Cli;

/// <summary>data generate --shard and data merge end to end, with real RCWA on a cheap stack (9 harmonics, 2 wavelengths).</summary>
public sealed class DataMergeCommandTests : IDisposable
{
    private const string StackJson = """
        {"period_nm": 350, "materials": {"air": {"eps": "1"}, "si": {"eps": "12+0.5i"}, "glass": {"eps": "2.25"}},
         "superstrate": "air", "patterned_layer": {"material_a": "si", "material_b": "air", "thickness_nm": 100},
         "substrate": "glass", "wavelengths_nm": [500, 600], "solver": {"harmonics": 9}}
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenThreeShardsOfARun_WhenGeneratedAndMerged_ThenTheMergedFileIsByteIdenticalToASingleRun()
    {
        var stack = _folder.Write("stack.json", StackJson);
        string single = _folder.File("single/data.parquet");
        string sharded = _folder.File("sharded/data.parquet");
        Assert.Equal(0, Generate(stack, single).ExitCode);

        var shardRuns = Enumerable.Range(1, 3).Select(i => Generate(stack, sharded, "--shard", $"{i}/3")).ToArray();
        var files = Enumerable.Range(1, 3).Select(i => _folder.File($"sharded/data.shard-{i:D4}-of-0003.parquet")).ToArray();
        var merge = CliRun.Of(["data", "merge", "--out", _folder.File("merged/data.parquet"), .. files.Reverse()]);

        Assert.All(shardRuns, r => Assert.Equal(0, r.ExitCode));
        Assert.Contains("shard 2/3 (from --shard): ids 8..15 of a run of 22", shardRuns[1].Stdout);
        Assert.False(File.Exists(sharded));
        Assert.Equal("", merge.Stderr);
        Assert.Equal(0, merge.ExitCode);
        Assert.Contains("22 in 6 row groups", merge.Stdout);
        Assert.Equal(File.ReadAllBytes(single), File.ReadAllBytes(_folder.File("merged/data.parquet")));
    }

    [Fact]
    public void GivenAMissingShard_WhenMerged_ThenExitCodeIsOneWithOneLineNamingTheIdsAndNothingIsWritten()
    {
        var stack = _folder.Write("stack.json", StackJson);
        string sharded = _folder.File("data.parquet");
        Assert.Equal(0, Generate(stack, sharded, "--shard", "1/3").ExitCode);
        Assert.Equal(0, Generate(stack, sharded, "--shard", "3/3").ExitCode);
        string output = _folder.File("merged.parquet");

        var merge = CliRun.Of("data", "merge", "--out", output,
            _folder.File("data.shard-0001-of-0003.parquet"), _folder.File("data.shard-0003-of-0003.parquet"));

        Assert.Equal(1, merge.ExitCode);
        Assert.Contains("ids missing: 8..15 (shard 2/3 writes them)", Assert.Single(merge.StderrLines));
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("--shard 5/4", "--shard: '5/4': shard 5 of 4 does not exist; shards are numbered 1 to 4")]
    [InlineData("--shard 0/4", "--shard: '0/4': shard 0 of 4 does not exist")]
    [InlineData("--shard 2of4", "--shard: '2of4' is not a shard; write I/N")]
    [InlineData("--row-group 0", "--row-group must be at least 1 sample; got 0")]
    public void GivenABadShardOrRowGroup_WhenGenerating_ThenExitCodeIsOneWithOneLineNamingItAndNoFileWritten(string extra, string expected)
    {
        var run = CliRun.Of(["data", "generate", "--count", "10", "--out", _folder.File("x.parquet"), .. extra.Split(' ')]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.StderrLines));
        Assert.Empty(_folder.Snapshot());
    }

    [Theory]
    [InlineData("--out m.parquet", "give the shard files to merge")]
    [InlineData("a.parquet", "--out FILE.parquet is required")]
    [InlineData("--out m.csv a.parquet", "--out must name a .parquet file")]
    [InlineData("--out m.parquet missing.parquet", "shard file '")]
    public void GivenBadMergeInput_WhenMerging_ThenExitCodeIsOneWithOneLineAndNothingWritten(string commandLine, string expected)
    {
        var args = new[] { "data", "merge" }
            .Concat(commandLine.Split(' ').Select(a => a.Contains('.') ? _folder.File(a) : a))
            .ToArray();

        var run = CliRun.Of(args);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(expected, Assert.Single(run.StderrLines));
        Assert.Empty(_folder.Snapshot());
    }

    [Fact]
    public void GivenAConvergenceShard_WhenRun_ThenItStudiesItsSliceAndWritesAShardReport()
    {
        var stack = _folder.Write("stack.json", StackJson);
        string report = _folder.File("convergence.md");

        var run = CliRun.Of("data", "convergence", "--stack", stack, "--count", "5", "--harmonics", "9,25", "--shard", "2/2", "--out", report);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("shard 2/2 (from --shard): patterns 2..4 of 5", run.Stdout);
        Assert.False(File.Exists(report));
        Assert.StartsWith("Shard 2/2 of the study: patterns 2..4 of 5 (seed 1).", File.ReadAllText(_folder.File("convergence.shard-0002-of-0002.md")));
        Assert.Contains("3 patterns", File.ReadAllText(_folder.File("convergence.shard-0002-of-0002.md")));
    }

    private static CliRun Generate(string stack, string output, params string[] extra) =>
        CliRun.Of(["data", "generate", "--count", "22", "--row-group", "4", "--seed", "5", "--stack", stack, "--out", output, .. extra]);
}
