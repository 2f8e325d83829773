using MlNetInverse.Physics.Datasets;

namespace MlNetInverse.Tests.Physics.Datasets;

public sealed class DatasetGeneratorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task GivenTheSameSeed_WhenGeneratedTwice_ThenTheFilesAreByteIdentical()
    {
        var first = await GenerateAsync("a/data.parquet", DatasetFakes.Options(10));
        var second = await GenerateAsync("b/data.parquet", DatasetFakes.Options(10));
        var otherSeed = await GenerateAsync("c/data.parquet", DatasetFakes.Options(10, seed: 8));

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public async Task GivenOneOrTwoThreads_WhenGenerated_ThenTheFilesAreByteIdentical()
    {
        var single = await GenerateAsync("t1/data.parquet", DatasetFakes.Options(13, threads: 1));
        var dual = await GenerateAsync("t2/data.parquet", DatasetFakes.Options(13, threads: 2));
        Assert.Equal(single, dual);
    }

    [Fact]
    public async Task GivenARun_WhenFinished_ThenRowsMatchTheSamplerAndTheSummaryAndThePartsAreGone()
    {
        var fakes = new DatasetFakes();
        var options = DatasetFakes.Options(10);
        string path = _folder.File("data.parquet");
        var reports = new List<DatasetProgress>();

        var summary = await fakes.CreateGenerator(options).GenerateAsync(path, new SyncProgress(reports.Add));

        var dataset = await MicrostructureDatasetFile.ReadAsync(path);
        var sampler = new GrfParameterSampler(options.Seed, options.Ranges);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), dataset.Records.Select(r => r.Id));
        Assert.All(dataset.Records, r =>
        {
            var sample = sampler.Sample(r.Id);
            Assert.Equal(sample.Parameters, r.Parameters);
            Assert.Equal(sample.Seed, r.Seed);
            Assert.True(DatasetFakes.Generate(sample.Parameters, sample.Seed).Pixels.SequenceEqual(r.Map.Pixels));
            Assert.Equal(r.WavelengthAbsorptions.Average(), r.Absorption, 15);
        });
        Assert.Equal(new DatasetGenerationInfo(7, 10, 64, 4, new GrfParameterRanges()), dataset.Generation);
        Assert.Equal(10, fakes.SimulatorCalls);
        Assert.Equal((10, 0), (summary.Count, summary.Resumed));
        Assert.Equal(dataset.Records.Min(r => r.Absorption), summary.MinAbsorption);
        Assert.Equal(dataset.Records.Max(r => r.Absorption), summary.MaxAbsorption);
        Assert.Equal(dataset.Records.Average(r => r.Absorption), summary.MeanAbsorption, 12);
        Assert.Equal(Enumerable.Range(0, 11), reports.Select(r => r.Completed));
        Assert.All(reports, r => Assert.Equal((10, 0), (r.Total, r.Resumed)));
        Assert.False(Directory.Exists(path + ".parts"));
        Assert.Equal(["data.parquet"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task GivenARunCancelledInTheSecondPart_WhenRerun_ThenFinishedPartsAreNotRecomputedAndTheFileMatchesAnUninterruptedRun()
    {
        var expected = await GenerateAsync("reference/data.parquet", DatasetFakes.Options(10));
        string path = _folder.File("data.parquet");
        var fakes = new DatasetFakes();
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.Completed == 5) cancel.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => fakes.CreateGenerator(DatasetFakes.Options(10)).GenerateAsync(path, progress, cancel.Token));
        Assert.True(File.Exists(Path.Combine(path + ".parts", "part-00000.parquet")));
        Assert.False(File.Exists(Path.Combine(path + ".parts", "part-00001.parquet")));
        Assert.False(File.Exists(path));

        var resumedFakes = new DatasetFakes();
        var reports = new List<DatasetProgress>();
        var summary = await resumedFakes.CreateGenerator(DatasetFakes.Options(10, threads: 2)).GenerateAsync(path, new SyncProgress(reports.Add));

        Assert.Equal(6, resumedFakes.SimulatorCalls);
        Assert.Equal(4, summary.Resumed);
        Assert.Equal(new DatasetProgress(4, 10, 4), reports[0]);
        Assert.Equal(new DatasetProgress(10, 10, 4), reports[^1]);
        Assert.Equal(expected, await File.ReadAllBytesAsync(path));
        Assert.False(Directory.Exists(path + ".parts"));
    }

    [Fact]
    public async Task GivenASolverFailureMidRun_WhenRerun_ThenOnlyUnfinishedPartsAreComputed()
    {
        var expected = await GenerateAsync("reference/data.parquet", DatasetFakes.Options(10));
        string path = _folder.File("data.parquet");
        var failing = new DatasetFakes { FailOnCall = 10 };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.CreateGenerator(DatasetFakes.Options(10)).GenerateAsync(path));
        Assert.StartsWith("Sample 9 (ring, mean ", error.Message);
        Assert.Contains("injected solver failure", error.Message);

        var healthy = new DatasetFakes();
        var summary = await healthy.CreateGenerator(DatasetFakes.Options(10)).GenerateAsync(path);

        Assert.Equal(2, healthy.SimulatorCalls); // parts 0 and 1 (ids 0-7) survived the failure at id 9
        Assert.Equal(8, summary.Resumed);
        Assert.Equal(expected, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task GivenAnOlderOutputFile_WhenANewRunFails_ThenTheOldFileStaysIntactUntilANewRunCompletes()
    {
        string path = _folder.File("data.parquet");
        var older = await GenerateAsync("data.parquet", DatasetFakes.Options(6, seed: 99));

        var failing = new DatasetFakes { FailOnCall = 3 };
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.CreateGenerator(DatasetFakes.Options(10) with { Overwrite = true }).GenerateAsync(path));

        Assert.Equal(older, await File.ReadAllBytesAsync(path));
        Assert.Empty(Directory.GetFiles(_folder.Path, "*.tmp", SearchOption.AllDirectories));

        await new DatasetFakes().CreateGenerator(DatasetFakes.Options(10) with { Overwrite = true }).GenerateAsync(path);
        var replaced = await MicrostructureDatasetFile.ReadAsync(path);
        Assert.Equal(7, replaced.Generation.Seed);
        Assert.Equal(10, replaced.Records.Count);
    }

    [Fact]
    public async Task GivenPartsOfAnotherSeed_WhenRerunWithADifferentSeed_ThenItRefusesAndNamesTheDifference()
    {
        string path = _folder.File("data.parquet");
        var failing = new DatasetFakes { FailOnCall = 6 };
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.CreateGenerator(DatasetFakes.Options(10)).GenerateAsync(path));
        var partBefore = await File.ReadAllBytesAsync(Path.Combine(path + ".parts", "part-00000.parquet"));

        var other = new DatasetFakes();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => other.CreateGenerator(DatasetFakes.Options(10, seed: 8)).GenerateAsync(path));

        Assert.Contains("seed 7 there, 8 now", error.Message);
        Assert.Contains(path + ".parts", error.Message);
        Assert.Equal(0, other.SimulatorCalls);
        Assert.Equal(partBefore, await File.ReadAllBytesAsync(Path.Combine(path + ".parts", "part-00000.parquet")));
    }

    [Fact]
    public async Task GivenPartsOfAnotherStack_WhenRerun_ThenItRefusesAndSaysTheStackDiffers()
    {
        string path = _folder.File("data.parquet");
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => new DatasetFakes { FailOnCall = 6 }.CreateGenerator(DatasetFakes.Options(10)).GenerateAsync(path));

        var thicker = DatasetFakes.Options(10) with
        {
            Stack = DatasetFakes.Stack with { Patterned = DatasetFakes.Stack.Patterned with { ThicknessNm = 81 } },
        };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new DatasetFakes().CreateGenerator(thicker).GenerateAsync(path));
        Assert.Contains("optical stack", error.Message);
    }

    [Fact]
    public async Task GivenARunCancelledBeforeAnyPartFinished_WhenRunWithOtherSettings_ThenTheNewRunTakesTheFolderOver()
    {
        string path = _folder.File("data.parquet");
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.Completed == 2) cancel.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new DatasetFakes().CreateGenerator(DatasetFakes.Options(10)).GenerateAsync(path, progress, cancel.Token));
        Assert.Equal(["manifest.json"], Directory.GetFiles(path + ".parts").Select(Path.GetFileName));

        var fakes = new DatasetFakes();
        var summary = await fakes.CreateGenerator(DatasetFakes.Options(10, seed: 8)).GenerateAsync(path);

        Assert.Equal((10, 0, 10), (fakes.SimulatorCalls, summary.Resumed, summary.Count));
        Assert.Equal(8, (await MicrostructureDatasetFile.ReadAsync(path)).Generation.Seed);
    }

    [Fact]
    public async Task GivenAFinishedFileOfTheSameSettings_WhenRerun_ThenNothingIsRecomputed()
    {
        string path = _folder.File("data.parquet");
        var first = await new DatasetFakes().CreateGenerator(DatasetFakes.Options(9)).GenerateAsync(path);
        var bytes = await File.ReadAllBytesAsync(path);

        var again = new DatasetFakes();
        var second = await again.CreateGenerator(DatasetFakes.Options(9, threads: 2)).GenerateAsync(path);

        Assert.Equal(0, again.SimulatorCalls);
        Assert.Equal((9, 9), (second.Count, second.Resumed));
        Assert.Equal((first.MinAbsorption, first.MeanAbsorption, first.MaxAbsorption), (second.MinAbsorption, second.MeanAbsorption, second.MaxAbsorption));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public void GivenZeroThreads_WhenTheGeneratorIsCreated_ThenTheMessageNamesThreads()
    {
        var error = Assert.Throws<ArgumentException>(() => new DatasetFakes().CreateGenerator(DatasetFakes.Options(5, threads: 0)));
        Assert.Contains("Threads", error.Message);
    }

    private async Task<byte[]> GenerateAsync(string relativePath, DatasetGenerationOptions options)
    {
        string path = _folder.File(relativePath);
        await new DatasetFakes().CreateGenerator(options).GenerateAsync(path);
        return await File.ReadAllBytesAsync(path);
    }

    /// <summary>Reports on the calling thread at once (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<DatasetProgress> report) : IProgress<DatasetProgress>
    {
        public void Report(DatasetProgress value) => report(value);
    }
}
