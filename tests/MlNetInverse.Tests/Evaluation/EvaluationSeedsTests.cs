using MlNetInverse.Workflows.Evaluation;


namespace MlNetInverse.Tests.Evaluation;

/// <summary>--seed and --seeds: a list names the seeds, a count counts up from --seed, nothing means --seed alone.</summary>
public sealed class EvaluationSeedsTests
{
    [Fact]
    public void GivenNoSeedsOption_WhenParsed_ThenTheSingleSeedIsUsed()
    {
        Assert.Equal([7L], EvaluationSeeds.Parse(null, null));
        Assert.Equal([12L], EvaluationSeeds.Parse(null, 12));
    }

    [Fact]
    public void GivenACount_WhenParsed_ThenItCountsUpFromTheEvaluationSeed()
    {
        Assert.Equal([7L, 8, 9], EvaluationSeeds.Parse("3", null));
        Assert.Equal([20L, 21], EvaluationSeeds.Parse("2", 20));
    }

    [Fact]
    public void GivenAList_WhenParsed_ThenTheSeedsComeBackInTheGivenOrder()
    {
        Assert.Equal([9L, 7, 8], EvaluationSeeds.Parse("9, 7,8", null));
        Assert.Equal([11L], EvaluationSeeds.Parse("11,", null));
        Assert.Equal([5L, 6], EvaluationSeeds.Parse("5,6", 5));
    }

    [Theory]
    [InlineData("abc", "--seeds: 'abc' is not a seed; write a list like 7,8,9 or a count like 3 (--seed and the next ones).")]
    [InlineData("1.5", "--seeds: '1.5' is not a seed; write a list like 7,8,9 or a count like 3 (--seed and the next ones).")]
    [InlineData(",", "--seeds: the list is empty; write a list like 7,8,9 or a count like 3.")]
    [InlineData("-2", "--seeds: a count of seeds must be 1 to 100; got -2 (a list of seeds needs a comma, e.g. -2,-1).")]
    [InlineData("101", "--seeds: a count of seeds must be 1 to 100; got 101 (a list of seeds needs a comma, e.g. 101,102).")]
    [InlineData("4,5,4", "--seeds: seed 4 is listed twice; each seed's designs would count twice.")]
    public void GivenGarbage_WhenParsed_ThenOneMessageNamesTheProblem(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => EvaluationSeeds.Parse(text, null));

        Assert.Equal(expected, error.Message);
    }
}
