using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.Tests.Physics.Datasets;

/// <summary>
/// A finished dataset, or any other file at the output path, is never replaced by a run with other settings unless
/// overwriting is asked for; a run with the same settings reuses it as before.
/// </summary>
public sealed class DatasetOutputProtectionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task GivenAFinishedDatasetOfSeed5_WhenRunWithSeed6_ThenItIsRefusedNamingTheSeedsAndTheFileIsUnchanged()
    {
        string path = _folder.File("data.parquet");
        await new DatasetFakes().CreateGenerator(DatasetFakes.Options(10, seed: 5)).GenerateAsync(path);
        var before = await File.ReadAllBytesAsync(path);
        var fakes = new DatasetFakes();

        var error = await Assert.ThrowsAsync<OutputExistsException>(() => fakes.CreateGenerator(DatasetFakes.Options(10, seed: 6)).GenerateAsync(path));

        Assert.Contains("seed 5 there, 6 now", error.Message);
        Assert.Contains("--overwrite", error.Message);
        Assert.Equal(0, fakes.SimulatorCalls);
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
        Assert.False(Directory.Exists(path + ".parts"));
    }

    [Fact]
    public async Task GivenAFileThatIsNotADataset_WhenGeneratingOverIt_ThenItIsRefusedAndKept()
    {
        string path = _folder.File("notes.parquet");
        await File.WriteAllTextAsync(path, "my notes, not Parquet");

        var error = await Assert.ThrowsAsync<OutputExistsException>(() => new DatasetFakes().CreateGenerator(DatasetFakes.Options(4)).GenerateAsync(path));

        Assert.Contains("is not a dataset file", error.Message);
        Assert.Equal("my notes, not Parquet", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task GivenAFinishedDatasetOfSeed5_WhenRunWithSeed6AndOverwrite_ThenItIsReplaced()
    {
        string path = _folder.File("data.parquet");
        await new DatasetFakes().CreateGenerator(DatasetFakes.Options(10, seed: 5)).GenerateAsync(path);

        await new DatasetFakes().CreateGenerator(DatasetFakes.Options(10, seed: 6) with { Overwrite = true }).GenerateAsync(path);

        Assert.Equal(6, (await MicrostructureDatasetFile.ReadAsync(path)).Generation.Seed);
    }

    [Fact]
    public async Task GivenAFinishedDataset_WhenRunAgainWithTheSameSettings_ThenItIsReusedWithoutSimulating()
    {
        string path = _folder.File("data.parquet");
        await new DatasetFakes().CreateGenerator(DatasetFakes.Options(10, seed: 5)).GenerateAsync(path);
        var fakes = new DatasetFakes();

        var summary = await fakes.CreateGenerator(DatasetFakes.Options(10, seed: 5)).GenerateAsync(path);

        Assert.Equal(10, summary.Resumed);
        Assert.Equal(0, fakes.SimulatorCalls);
    }
}
