using MlNetInverse.Physics.Datasets;

namespace MlNetInverse.Tests.Physics.Datasets;

/// <summary>
/// Every dataset, shard and part carries the SHA-256 of its rows: a flipped byte is never merged or resumed silently,
/// errors name the damaged file, and a damaged part is computed again.
/// </summary>
public sealed class DatasetChecksumTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task GivenAShardWithOneByteFlipped_WhenMerged_ThenTheMergeIsRefusedNamingTheShardOrEqualsTheUndamagedMerge()
    {
        var options = DatasetFakes.Options(24, rowGroupSize: 4);
        string[] shards = [_folder.File("s/data.shard-0001-of-0002.parquet"), _folder.File("s/data.shard-0002-of-0002.parquet")];
        for (int i = 0; i < 2; i++) await new DatasetFakes().CreateGenerator(options with { Shard = new DatasetShard(i + 1, 2) }).GenerateAsync(shards[i]);
        var original = await File.ReadAllBytesAsync(shards[0]);
        await using (var reader = await MicrostructureDatasetFile.OpenAsync(shards[0])) Assert.NotNull(reader.RowsChecksum);
        string output = _folder.File("merged.parquet");
        var undamaged = await File.ReadAllBytesAsync((await DatasetMerger.MergeAsync(shards, output)).Path);
        File.Delete(output);
        int bySum = 0;

        // Every 11th byte of the first 60 % of the file: the row groups' pages (the footer lies at the end).
        for (int position = 4; position < original.Length * 6 / 10; position += 11)
        {
            var damaged = original.ToArray();
            damaged[position] ^= 0x5A;
            await File.WriteAllBytesAsync(shards[0], damaged);

            try
            {
                await DatasetMerger.MergeAsync(shards, output);
                // A flip in bytes no row depends on (page statistics, say) changes nothing: the merge is the undamaged one.
                var merged = await File.ReadAllBytesAsync(output);
                Assert.True(undamaged.SequenceEqual(merged), $"byte {position}: merged into a different file");
                File.Delete(output);
            }
            catch (Exception error) when (error is not Xunit.Sdk.XunitException)
            {
                Assert.True(error.Message.Contains(shards[0]), $"byte {position}: {error.Message}");
                Assert.False(File.Exists(output));
                if (error.Message.Contains("do not match the SHA-256")) bySum++;
            }
        }

        // Some flips decode without complaint (inside Snappy literals): only the checksum catches those.
        Assert.True(bySum > 0, "no flip was caught by the checksum alone");
    }

    [Fact]
    public async Task GivenAFinishedPartDamagedSilently_WhenTheRunResumes_ThenThePartIsComputedAgainAndTheFileEqualsAnUninterruptedRun()
    {
        string reference = _folder.File("reference/data.parquet");
        await new DatasetFakes().CreateGenerator(DatasetFakes.Options(10)).GenerateAsync(reference);
        string path = _folder.File("data.parquet");
        await Assert.ThrowsAsync<InvalidOperationException>(() => new DatasetFakes { FailOnCall = 9 }.CreateGenerator(DatasetFakes.Options(10)).GenerateAsync(path));
        string part = Path.Combine(path + ".parts", "part-00000.parquet");
        await DatasetDamage.FlipSilentlyAsync(part);

        var fakes = new DatasetFakes();
        var summary = await fakes.CreateGenerator(DatasetFakes.Options(10)).GenerateAsync(path);

        Assert.Equal(4, summary.Resumed); // part 1 only; part 0 was damaged and computed again
        Assert.Equal(await File.ReadAllBytesAsync(reference), await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task GivenADatasetDamagedSilently_WhenReadWhole_ThenTheErrorNamesTheFile()
    {
        string path = _folder.File("data.parquet");
        await new DatasetFakes().CreateGenerator(DatasetFakes.Options(10)).GenerateAsync(path);
        await DatasetDamage.FlipSilentlyAsync(path);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => MicrostructureDatasetFile.ReadAsync(path));

        Assert.Contains($"'{path}' is damaged: its rows do not match the SHA-256", error.Message);
    }
}
