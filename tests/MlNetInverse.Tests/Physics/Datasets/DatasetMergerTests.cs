using MlNetInverse.Physics.Datasets;

namespace MlNetInverse.Tests.Physics.Datasets;

public sealed class DatasetMergerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(41, 4, 1)]
    [InlineData(41, 4, 3)]
    [InlineData(41, 4, 4)]
    [InlineData(40, 10, 4)]
    [InlineData(23, 5, 7)] // more shards than row groups
    public async Task GivenEveryShardOfARun_WhenMergedInAnyOrder_ThenTheFileIsByteIdenticalToASingleRun(int count, int rowGroupSize, int shards)
    {
        var options = DatasetFakes.Options(count, rowGroupSize: rowGroupSize);
        string single = _folder.File("single/data.parquet");
        await new DatasetFakes().CreateGenerator(options).GenerateAsync(single);
        var files = await ShardsAsync(options, shards);
        files.Reverse();

        var summary = await DatasetMerger.MergeAsync(files, _folder.File("merged/data.parquet"));

        Assert.Equal(await File.ReadAllBytesAsync(single), await File.ReadAllBytesAsync(summary.Path));
        Assert.Equal((shards, count, (count + rowGroupSize - 1) / rowGroupSize), (summary.Inputs, summary.Rows, summary.RowGroups));
        await using var reader = await MicrostructureDatasetFile.OpenAsync(summary.Path);
        Assert.Null(reader.Shard);
    }

    [Fact]
    public async Task GivenAMissingShard_WhenMerged_ThenItRefusesNamingTheMissingIdsAndTheirShardAndWritesNothing()
    {
        var files = await ShardsAsync(DatasetFakes.Options(40, rowGroupSize: 4), 4);
        string output = _folder.File("merged.parquet");
        files.RemoveAt(1); // shard 2/4: parts 2..4, ids 8..19

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DatasetMerger.MergeAsync(files, output));

        Assert.Contains("ids missing: 8..19 (shard 2/4 writes them)", error.Message);
        Assert.Contains("Nothing was written", error.Message);
        AssertNothingWritten(output);
    }

    [Fact]
    public async Task GivenAShardGivenTwiceUnderAnotherName_WhenMerged_ThenItRefusesNamingTheDuplicateIdsAndBothFiles()
    {
        var files = await ShardsAsync(DatasetFakes.Options(40, rowGroupSize: 4), 4);
        string copy = _folder.File("copy-of-shard-3.parquet");
        File.Copy(files[2], copy);
        files.Add(copy);
        string output = _folder.File("merged.parquet");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DatasetMerger.MergeAsync(files, output));

        Assert.Contains("ids given more than once: 20..23 (in '", error.Message);
        Assert.Contains(Path.GetFileName(files[2]), error.Message);
        Assert.Contains("copy-of-shard-3.parquet", error.Message);
        AssertNothingWritten(output);
    }

    [Fact]
    public async Task GivenShardsOfRunsWithDifferentSeeds_WhenMerged_ThenItRefusesNamingTheSeedsAndWritesNothing()
    {
        var seven = await ShardsAsync(DatasetFakes.Options(20, seed: 7, rowGroupSize: 4), 2, "seven");
        var eight = await ShardsAsync(DatasetFakes.Options(20, seed: 8, rowGroupSize: 4), 2, "eight");
        string output = _folder.File("merged.parquet");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DatasetMerger.MergeAsync([seven[0], eight[1]], output));

        Assert.Contains("Cannot merge files of different runs (seed 8 in '", error.Message);
        Assert.Contains("seed 8 in '" + eight[1] + "', 7 in '" + seven[0] + "'", error.Message);
        AssertNothingWritten(output);
    }

    [Fact]
    public async Task GivenShardsOfRunsWithDifferentStacksOrRowGroups_WhenMerged_ThenItRefusesNamingWhatDiffers()
    {
        var baseline = await ShardsAsync(DatasetFakes.Options(20, rowGroupSize: 4), 2, "base");
        var otherStack = await ShardsAsync(DatasetFakes.Options(20, rowGroupSize: 4) with { Stack = DatasetFakes.Stack with { PeriodNm = 410 } }, 2, "stack");
        var otherGroups = await ShardsAsync(DatasetFakes.Options(20, rowGroupSize: 5), 2, "groups");
        string output = _folder.File("merged.parquet");

        var stackError = await Assert.ThrowsAsync<InvalidOperationException>(() => DatasetMerger.MergeAsync([baseline[0], otherStack[1]], output));
        var groupError = await Assert.ThrowsAsync<InvalidOperationException>(() => DatasetMerger.MergeAsync([baseline[0], otherGroups[1]], output));

        Assert.Contains("the optical stack of '" + otherStack[1] + "' differs", stackError.Message);
        Assert.Contains("row group size 5 in '", groupError.Message);
        AssertNothingWritten(output);
    }

    [Fact]
    public async Task GivenTheOutputAmongTheInputsOrAnInputTwice_WhenMerged_ThenItRefusesBeforeReadingAnything()
    {
        var files = await ShardsAsync(DatasetFakes.Options(8, rowGroupSize: 4), 2);

        var intoInput = await Assert.ThrowsAsync<ArgumentException>(() => DatasetMerger.MergeAsync(files, files[0]));
        var twice = await Assert.ThrowsAsync<ArgumentException>(() => DatasetMerger.MergeAsync([files[0], files[0], files[1]], _folder.File("m.parquet")));
        var missing = await Assert.ThrowsAsync<FileNotFoundException>(() => DatasetMerger.MergeAsync([files[0], _folder.File("nope.parquet")], _folder.File("m.parquet")));

        Assert.Contains("is also an input", intoInput.Message);
        Assert.Contains("is given twice", twice.Message);
        Assert.Contains("nope.parquet' does not exist", missing.Message);
        AssertNothingWritten(_folder.File("m.parquet"));
    }

    [Fact]
    public async Task GivenAnExistingOutput_WhenAMergeIsRefused_ThenTheOldFileIsUntouched()
    {
        var files = await ShardsAsync(DatasetFakes.Options(12, rowGroupSize: 4), 3);
        string output = _folder.File("merged.parquet");
        await File.WriteAllTextAsync(output, "an older file");

        await Assert.ThrowsAsync<InvalidOperationException>(() => DatasetMerger.MergeAsync(files.Take(2).ToList(), output));

        Assert.Equal("an older file", await File.ReadAllTextAsync(output));
    }

    /// <summary>Generates every shard of <paramref name="options"/>'s run into a sub-folder; returns the files in shard order.</summary>
    private async Task<List<string>> ShardsAsync(DatasetGenerationOptions options, int shards, string folder = "shards")
    {
        var files = new List<string>();
        for (int i = 1; i <= shards; i++)
        {
            var shard = new DatasetShard(i, shards);
            string path = _folder.File(shard.FilePath(Path.Combine(folder, "data.parquet")));
            await new DatasetFakes().CreateGenerator(options with { Shard = shard }).GenerateAsync(path);
            files.Add(path);
        }
        return files;
    }

    private static void AssertNothingWritten(string output)
    {
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".tmp"));
    }
}
