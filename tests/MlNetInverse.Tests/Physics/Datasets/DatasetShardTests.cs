using MlNetInverse.Physics.Datasets;

namespace MlNetInverse.Tests.Physics.Datasets;

public sealed class DatasetShardTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 4)]
    [InlineData(3, 4)]
    [InlineData(4, 4)]
    [InlineData(10, 3)]
    [InlineData(95, 7)]
    [InlineData(1000, 16)]
    [InlineData(94, 94)]
    public void GivenBlocksAndShards_WhenSliced_ThenEveryBlockBelongsToExactlyOneShardInOrderAndSizesDifferByAtMostOne(int blocks, int shards)
    {
        var slices = Enumerable.Range(1, shards).Select(i => new DatasetShard(i, shards).Blocks(blocks)).ToArray();

        var owned = slices.SelectMany(s => Enumerable.Range(s.First, s.Length)).ToArray();
        Assert.Equal(Enumerable.Range(0, blocks), owned);
        Assert.True(slices.Max(s => s.Length) - slices.Min(s => s.Length) <= 1);
    }

    [Theory]
    [InlineData(41, 4)]
    [InlineData(40, 10)]
    [InlineData(5000, 250)]
    [InlineData(23619, 250)]
    [InlineData(7, 10)]
    public void GivenARunOfCountRows_WhenCutIntoShards_ThenTheRowRangesTileZeroToCountInWholeRowGroups(int count, int rowGroupSize)
    {
        foreach (int shards in new[] { 1, 2, 3, 4, 7, 16, 100 })
        {
            long next = 0;
            for (int i = 1; i <= shards; i++)
            {
                var (first, length) = new DatasetShard(i, shards).Rows(count, rowGroupSize);
                Assert.Equal(next, first);
                Assert.True(first % rowGroupSize == 0 || length == 0);
                Assert.True(length % rowGroupSize == 0 || first + length == count);
                next = first + length;
            }
            Assert.Equal(count, next);
        }
    }

    [Theory]
    [InlineData("1/1", 1, 1)]
    [InlineData("3/4", 3, 4)]
    [InlineData("4/4", 4, 4)]
    [InlineData(" 12 / 100 ", 12, 100)]
    public void GivenIOverN_WhenParsed_ThenIndexAndCountAreOneBased(string text, int index, int count)
    {
        var shard = DatasetShard.Parse(text);

        Assert.Equal((index, count), (shard.Index, shard.Count));
        Assert.Equal(shard, DatasetShard.Parse(shard.ToString()));
    }

    [Theory]
    [InlineData("5/4", "'5/4': shard 5 of 4 does not exist; shards are numbered 1 to 4")]
    [InlineData("0/4", "'0/4': shard 0 of 4 does not exist")]
    [InlineData("1/0", "'1/0': the shard count must be at least 1")]
    [InlineData("-1/4", "'-1/4' is not a shard; write I/N")]
    [InlineData("3", "'3' is not a shard")]
    [InlineData("a/b", "'a/b' is not a shard")]
    [InlineData("1/2/3", "'1/2/3' is not a shard")]
    [InlineData("", "'' is not a shard")]
    public void GivenABadShard_WhenParsed_ThenTheMessageQuotesItAndSaysWhatIsExpected(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => DatasetShard.Parse(text));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void GivenAnIndexOutsideTheCount_WhenConstructed_ThenItThrowsNamingTheRange()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DatasetShard(5, 4));

        Assert.Contains("numbered 1 to 4", error.Message);
    }

    [Theory]
    [InlineData("data/train.parquet", 3, 4, "data/train.shard-0003-of-0004.parquet")]
    [InlineData("/x/y.z/report.md", 1, 12345, "/x/y.z/report.shard-0001-of-12345.md")]
    [InlineData("out", 2, 2, "out.shard-0002-of-0002")]
    public void GivenAnOutputPath_WhenAShardFileIsNamed_ThenTheInfixGoesBeforeTheExtension(string output, int index, int count, string expected)
    {
        Assert.Equal(expected, new DatasetShard(index, count).FilePath(output));
    }
}
