using MlNetInverse.Physics.Datasets;

namespace MlNetInverse.Tests.Physics.Datasets;

public sealed class ShardedDatasetGenerationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 4, 3)]
    [InlineData(40, 10, 4)]
    [InlineData(41, 4, 4)]
    [InlineData(41, 4, 3)]
    [InlineData(23, 5, 7)]
    [InlineData(9, 4, 5)] // more shards than row groups: two shards hold nothing
    public async Task GivenCountsNotDivisibleByTheRowGroup_WhenEveryShardIsGenerated_ThenEachIdIsInExactlyOneShardInWholeAlignedRowGroups(
        int count, int rowGroupSize, int shards)
    {
        var ids = new List<long>();
        for (int i = 1; i <= shards; i++)
        {
            var shard = new DatasetShard(i, shards);
            string path = _folder.File(shard.FilePath("data.parquet"));
            var summary = await new DatasetFakes().CreateGenerator(DatasetFakes.Options(count, rowGroupSize: rowGroupSize) with { Shard = shard }).GenerateAsync(path);

            await using var reader = await MicrostructureDatasetFile.OpenAsync(path);
            Assert.Equal(shard, reader.Shard);
            Assert.Equal(count, reader.Generation.Count); // the run's count, not the shard's rows
            Assert.Equal(reader.RowCount, summary.Count);
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                var group = (await reader.ReadRowGroupAsync(g)).Select(r => r.Id).ToArray();
                Assert.Equal(0, group[0] % rowGroupSize);
                Assert.Equal(Math.Min(rowGroupSize, count - group[0]), group.Length);
                ids.AddRange(group);
            }
            Assert.False(Directory.Exists(path + ".parts"));
        }

        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), ids);
    }

    [Fact]
    public async Task GivenAFinishedShard_WhenRerun_ThenNothingIsRecomputedAndTheFileIsUnchanged()
    {
        var options = DatasetFakes.Options(30, rowGroupSize: 4) with { Shard = new DatasetShard(2, 3) };
        string path = _folder.File("data.shard-0002-of-0003.parquet");
        await new DatasetFakes().CreateGenerator(options).GenerateAsync(path);
        var bytes = await File.ReadAllBytesAsync(path);

        var again = new DatasetFakes();
        var summary = await again.CreateGenerator(options).GenerateAsync(path);

        Assert.Equal(0, again.SimulatorCalls);
        Assert.Equal((12, 12), (summary.Count, summary.Resumed));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task GivenAShardFileOfAnotherShard_WhenRunAtThatPath_ThenItIsRefusedAndWithOverwriteRecomputedNotMistakenForFinished()
    {
        string path = _folder.File("data.parquet");
        await new DatasetFakes().CreateGenerator(DatasetFakes.Options(30, rowGroupSize: 4) with { Shard = new DatasetShard(1, 3) }).GenerateAsync(path);
        var shard2 = DatasetFakes.Options(30, rowGroupSize: 4) with { Shard = new DatasetShard(2, 3) };

        var refused = await Assert.ThrowsAsync<MlNetInverse.Physics.Storage.OutputExistsException>(() => new DatasetFakes().CreateGenerator(shard2).GenerateAsync(path));
        Assert.Contains("shard 1/3 there, 2/3 now", refused.Message);
        var other = new DatasetFakes();
        await other.CreateGenerator(shard2 with { Overwrite = true }).GenerateAsync(path);

        Assert.Equal(12, other.SimulatorCalls);
        await using var reader = await MicrostructureDatasetFile.OpenAsync(path);
        Assert.Equal(new DatasetShard(2, 3), reader.Shard);
    }

    [Fact]
    public async Task GivenAShardInterruptedInItsSecondPart_WhenRerun_ThenFinishedPartsAreKeptAndTheShardEqualsAnUninterruptedOne()
    {
        var options = DatasetFakes.Options(40, rowGroupSize: 4) with { Shard = new DatasetShard(2, 4) }; // parts 2..4, ids 8..19
        string reference = _folder.File("reference/data.shard-0002-of-0004.parquet");
        await new DatasetFakes().CreateGenerator(options).GenerateAsync(reference);
        string path = _folder.File("data.shard-0002-of-0004.parquet");
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.Completed == 6) cancel.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new DatasetFakes().CreateGenerator(options).GenerateAsync(path, progress, cancel.Token));
        Assert.True(File.Exists(Path.Combine(path + ".parts", "part-00002.parquet")));
        Assert.False(File.Exists(Path.Combine(path + ".parts", "part-00003.parquet")));
        Assert.False(File.Exists(path));

        var resumed = new DatasetFakes();
        var reports = new List<DatasetProgress>();
        var summary = await resumed.CreateGenerator(options).GenerateAsync(path, new SyncProgress(reports.Add));

        Assert.Equal(8, resumed.SimulatorCalls);
        Assert.Equal(new DatasetProgress(4, 12, 4), reports[0]);
        Assert.Equal((12, 4), (summary.Count, summary.Resumed));
        Assert.Equal(await File.ReadAllBytesAsync(reference), await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task GivenAShardWithoutRowGroups_WhenGenerated_ThenItWritesAnEmptyShardFile()
    {
        string path = _folder.File("data.shard-0002-of-0004.parquet");
        var fakes = new DatasetFakes();

        var summary = await fakes.CreateGenerator(DatasetFakes.Options(4, rowGroupSize: 4) with { Shard = new DatasetShard(2, 4) }).GenerateAsync(path);

        Assert.Equal(0, fakes.SimulatorCalls);
        Assert.Equal(0, summary.Count);
        await using var reader = await MicrostructureDatasetFile.OpenAsync(path);
        Assert.Equal((0L, 0, 4), (reader.RowCount, reader.RowGroupCount, reader.Generation.Count));
    }

    /// <summary>Reports on the calling thread at once (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<DatasetProgress> report) : IProgress<DatasetProgress>
    {
        public void Report(DatasetProgress value) => report(value);
    }
}
