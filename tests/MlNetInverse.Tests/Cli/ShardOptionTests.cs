using MlNetInverse.Cli;
using MlNetInverse.Physics.Datasets;

namespace MlNetInverse.Tests.Cli;

public sealed class ShardOptionTests
{
    [Theory]
    [InlineData("0", "0", "3", "4", 1)]
    [InlineData("3", "0", "3", "4", 4)]
    [InlineData("1", "1", "4", "4", 1)]
    [InlineData("4", "1", "4", "4", 4)]
    [InlineData("12", "10", "13", "4", 3)]
    public void GivenASlurmArrayTask_WhenNoShardIsGiven_ThenTheShardIsTaskIdMinusMinPlusOneOfTheTaskCount(string id, string min, string max, string count, int expected)
    {
        var choice = ShardOption.Resolve(null, Environment(id, min, max, count));

        Assert.NotNull(choice);
        Assert.Equal(new DatasetShard(expected, int.Parse(count)), choice.Shard);
        Assert.Contains($"SLURM_ARRAY_TASK_ID={id}", choice.ToString());
    }

    [Fact]
    public void GivenAShardOption_WhenInsideASlurmArray_ThenTheOptionWins()
    {
        var choice = ShardOption.Resolve("2/8", Environment("0", "0", "3", "4"));

        Assert.Equal(new DatasetShard(2, 8), choice!.Shard);
        Assert.Equal("--shard", choice.Source);
    }

    [Fact]
    public void GivenShardNone_WhenInsideASlurmArray_ThenTheWholeRunIsDone()
    {
        Assert.Null(ShardOption.Resolve("none", Environment("1", "0", "3", "4")));
    }

    [Fact]
    public void GivenNoShardAndNoSlurmArray_WhenResolved_ThenTheWholeRunIsDone()
    {
        Assert.Null(ShardOption.Resolve(null, _ => null));
    }

    [Theory]
    [InlineData("2", "0", "6", "4", "not one contiguous range")] // --array=0-6:2 (a step)
    [InlineData("5", "1", "9", "3", "not one contiguous range")] // --array=1,5,9
    [InlineData("x", "0", "3", "4", "SLURM_ARRAY_TASK_ID: 'x' is not a whole number")]
    [InlineData("1", "0", "3", "four", "SLURM_ARRAY_TASK_COUNT: 'four' is not a whole number")]
    [InlineData("7", "0", null, "4", "gives shard 8/4, which does not exist")]
    public void GivenAnUnusableSlurmEnvironment_WhenResolved_ThenTheMessageNamesTheVariables(string id, string min, string? max, string count, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ShardOption.Resolve(null, Environment(id, min, max, count)));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void GivenATaskIdWithoutACount_WhenResolved_ThenItAsksForShard()
    {
        var error = Assert.Throws<FormatException>(() => ShardOption.Resolve(null, v => v == ShardOption.TaskIdVariable ? "2" : null));

        Assert.Contains("SLURM_ARRAY_TASK_COUNT is not", error.Message);
    }

    [Theory]
    [InlineData("5/4", "--shard: '5/4': shard 5 of 4 does not exist")]
    [InlineData("1-4", "--shard: '1-4' is not a shard")]
    [InlineData("3/4", null)]
    [InlineData("none", null)]
    [InlineData(null, null)]
    public void GivenAShardText_WhenChecked_ThenOnlyBadOnesGetAnErrorNamingTheOption(string? text, string? expected)
    {
        string? error = ShardOption.Check(text);

        if (expected is null) Assert.Null(error);
        else Assert.StartsWith(expected, error);
    }

    private static Func<string, string?> Environment(string id, string min, string? max, string count)
    {
        var variables = new Dictionary<string, string?>
        {
            [ShardOption.TaskIdVariable] = id,
            [ShardOption.TaskMinVariable] = min,
            [ShardOption.TaskMaxVariable] = max,
            [ShardOption.TaskCountVariable] = count,
        };
        return name => variables.GetValueOrDefault(name);
    }
}
