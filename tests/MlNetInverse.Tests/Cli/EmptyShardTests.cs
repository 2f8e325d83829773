namespace MlNetInverse.Tests.Cli;

/// <summary>
/// More shards than row groups (<c>data generate --count 20 --shard 3/4</c>: one row group of 250): the empty shard is a
/// valid file that prints no Infinity or NaN, describes as "0 rows" and merges with the others.
/// </summary>
public sealed class EmptyShardTests : IDisposable
{
    private const string StackJson = """
        {"period_nm": 350, "materials": {"air": {"eps": "1"}, "si": {"eps": "12+0.5i"}, "glass": {"eps": "2.25"}},
         "superstrate": "air", "patterned_layer": {"material_a": "si", "material_b": "air", "thickness_nm": 100},
         "substrate": "glass", "wavelengths_nm": [500, 600], "solver": {"harmonics": 9}}
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private CliRun Shard(int index) =>
        CliRun.Of("data", "generate", "--count", "20", "--out", _folder.File("e.parquet"), "--shard", $"{index}/4", "--stack", _folder.Write("stack.json", StackJson));

    [Fact]
    public void GivenAShardWithNoRows_WhenGeneratedDescribedAndMerged_ThenItSays0RowsWithoutInfinityOrNaNAndMerges()
    {
        var empty = Shard(3);
        var describe = CliRun.Of("data", "describe", _folder.File("e.shard-0003-of-0004.parquet"), "--histogram", _folder.File("h.png"));
        foreach (int i in new[] { 1, 2, 4 }) Assert.Equal(0, Shard(i).ExitCode);
        var merge = CliRun.Of("data", "merge", "--out", _folder.File("merged.parquet"),
            _folder.File("e.shard-0001-of-0004.parquet"), _folder.File("e.shard-0002-of-0004.parquet"),
            _folder.File("e.shard-0003-of-0004.parquet"), _folder.File("e.shard-0004-of-0004.parquet"));

        Assert.Equal(0, empty.ExitCode);
        Assert.Contains("0 (0 resumed)", empty.Stdout);
        Assert.DoesNotContain("Infinity", empty.Stdout);
        Assert.DoesNotContain("NaN", empty.Stdout);
        Assert.True(describe.ExitCode == 0, describe.Stderr);
        Assert.Contains("0 rows", describe.Stdout);
        Assert.False(File.Exists(_folder.File("h.png")));
        Assert.True(merge.ExitCode == 0, merge.Stderr);
        Assert.Contains("20 in 1 row groups", merge.Stdout);
    }
}
