using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;

namespace MlNetInverse.Tests.Scoring;

/// <summary><c>score --shard I/N</c> on any scheduler, then <c>data merge</c>: the merged file is the single run's file.</summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class ScoreShardMergeTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TinyGenerator _generator = TinyGenerator.Create(samples: 2);
    private readonly string _model;
    private readonly string _input;

    public ScoreShardMergeTests()
    {
        _model = _generator.Save(_folder.File("model.zip"));
        _input = ScoringFiles.WriteTargets(_folder.File("targets.parquet"), ScoringFiles.Spread(23));
    }

    public void Dispose()
    {
        _generator.Dispose();
        _folder.Dispose();
    }

    private CliRun Score(string output, params string[] extra) =>
        CliRun.Of(["score", "--model", _model, "--in", _input, "--out", output, "--batch", "4", .. extra]);

    private string Shard(int index, int count, string stem = "scores") =>
        _folder.File($"{stem}.shard-{index:D4}-of-{count:D4}.parquet");

    [Fact]
    public void GivenThreeShardsScoredApart_WhenMerged_ThenTheFileEqualsTheSingleRunByteForByte()
    {
        Assert.Equal(0, Score(_folder.File("whole.parquet")).ExitCode);
        foreach (int i in new[] { 3, 1, 2 })
        {
            var shard = Score(_folder.File("scores.parquet"), "--shard", $"{i}/3");
            Assert.True(shard.ExitCode == 0, shard.Stderr);
        }

        var merge = CliRun.Of("data", "merge", "--out", _folder.File("merged.parquet"), Shard(2, 3), Shard(3, 3), Shard(1, 3));

        Assert.True(merge.ExitCode == 0, merge.Stderr);
        Assert.Contains("score shard files", merge.Stdout);
        Assert.Equal(File.ReadAllBytes(_folder.File("whole.parquet")), File.ReadAllBytes(_folder.File("merged.parquet")));
    }

    [Fact]
    public void GivenAMissingShard_WhenMerged_ThenOneLineNamesItAndNothingIsWritten()
    {
        foreach (int i in new[] { 1, 3 }) Assert.Equal(0, Score(_folder.File("scores.parquet"), "--shard", $"{i}/3").ExitCode);

        var merge = CliRun.Of("data", "merge", "--out", _folder.File("merged.parquet"), Shard(1, 3), Shard(3, 3));

        Assert.Equal(1, merge.ExitCode);
        Assert.Contains("shard(s) 2/3 missing", Assert.Single(merge.StderrLines));
        Assert.False(File.Exists(_folder.File("merged.parquet")));
    }

    [Fact]
    public void GivenShardsOfTwoRuns_WhenMerged_ThenOneLineNamesTheDifferingSettingAndNothingIsWritten()
    {
        Assert.Equal(0, Score(_folder.File("scores.parquet"), "--shard", "1/2").ExitCode);
        Assert.Equal(0, Score(_folder.File("other.parquet"), "--shard", "2/2", "--seed", "99").ExitCode);

        var merge = CliRun.Of("data", "merge", "--out", _folder.File("merged.parquet"), Shard(1, 2), Shard(2, 2, "other"));

        Assert.Equal(1, merge.ExitCode);
        Assert.Contains("comes from another score run: seed is 99", Assert.Single(merge.StderrLines));
        Assert.False(File.Exists(_folder.File("merged.parquet")));
    }
}
