using System.IO.Compression;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;
using MlNetInverse.Workflows.Pipelines;

namespace MlNetInverse.Tests.Workflows;

/// <summary>
/// Without the absorption loss the VQ-VAE never reads the surrogate, so the pipeline trains the two side by side (one
/// torch thread each): the models must be those of one stage after the other, and a failing stage must not cost the
/// other its work.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class SideBySideStagesTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TrainingPipeline _pipeline;

    public SideBySideStagesTests()
    {
        var data = TrainingDatasetFile.WriteTo(_folder.File("train.parquet"));
        var labels = MicrostructureDatasetFile.ReadAsync(data).GetAwaiter().GetResult().Records.Select(r => r.Absorption).Order().ToArray();
        _pipeline = new TrainingPipeline
        {
            Name = "side-by-side", Data = data, Seed = 5, Threads = 1, HeldOut = 0.25,
            Surrogate = new SurrogateSection { Epochs = 2, Batch = 16, BaseChannels = 2, HiddenUnits = 8 },
            Vqvae = new VqVaeSection { Epochs = 2, Batch = 16, LearningRate = 1e-2, CodebookSize = 16, CodeDim = 4, LatentGrid = 8, HiddenChannels = 4, Beta = 0 },
            Mdn = new MdnSection { Components = 3, HiddenUnits = 16, Epochs = 2, Batch = 16 },
            Generation = new GenerationSection { Samples = 2, Targets = [labels[labels.Length / 2]] },
        };
    }

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public void GivenNoAbsorptionLoss_WhenSurrogateAndVqVaeTrainSideBySide_ThenTheirModelsEqualThoseTrainedOneAfterTheOther()
    {
        Skip.If(Environment.ProcessorCount < 2, "side by side needs two cores for two one-thread trainers");
        var sequential = Open("sequential");
        var sideBySide = Open("side-by-side");
        Assert.True(sideBySide.Stages.TrainsSideBySide);

        using (var surrogate = sequential.Stages.Surrogate())
        using (sequential.Stages.VqVae(surrogate: null)) { }
        var (trainedSurrogate, trainedVqVae) = sideBySide.Stages.SurrogateAndVqVae();
        trainedSurrogate.Dispose();
        trainedVqVae.Dispose();

        AssertSameEntries(sequential.Artifacts.Surrogate, sideBySide.Artifacts.Surrogate);
        AssertSameEntries(sequential.Artifacts.VqVae, sideBySide.Artifacts.VqVae);
    }

    [SkippableFact]
    public void GivenTheSurrogateFailsSideBySide_WhenTheRunEnds_ThenTheVqVaeFinishedAndIsReusedAndTheErrorIsTheSurrogates()
    {
        Skip.If(Environment.ProcessorCount < 2, "side by side needs two cores for two one-thread trainers");
        var log = new List<string>();
        var run = Open("failing", log);
        // A folder where the surrogate's zip goes: its training ends, its save cannot.
        Directory.CreateDirectory(run.Artifacts.Surrogate);

        var error = Record.Exception(() => run.Stages.SurrogateAndVqVae());

        Assert.NotNull(error);
        Assert.IsNotType<AggregateException>(error);
        Assert.IsNotAssignableFrom<OperationCanceledException>(error);
        Assert.Contains(log, line => line.StartsWith("surrogate failed:", StringComparison.Ordinal) && line.Contains("The vqvae stage runs to its end"));
        Assert.True(File.Exists(run.Artifacts.VqVae), "the VQ-VAE's artifact was not kept");
        Directory.Delete(run.Artifacts.Surrogate);

        log.Clear();
        var rerun = Open("failing", log);
        var (surrogate, vqVae) = rerun.Stages.SurrogateAndVqVae();
        surrogate.Dispose();
        vqVae.Dispose();
        Assert.Contains(log, line => line.StartsWith("surrogate: done in", StringComparison.Ordinal));
        Assert.DoesNotContain(log, line => line.StartsWith("vqvae: done in", StringComparison.Ordinal));
    }

    [Fact]
    public void GivenTheAbsorptionLoss_WhenTheStagesAreAsked_ThenTheVqVaeWaitsForTheSurrogateAndRefusesToTrainWithoutIt()
    {
        var run = Open("with-loss", pipeline: _pipeline with { Vqvae = _pipeline.Vqvae with { Beta = 0.5 } });

        Assert.True(run.Stages.VqVaeReadsSurrogate);
        Assert.False(run.Stages.TrainsSideBySide);
        Assert.Throws<ArgumentNullException>(() => run.Stages.VqVae(surrogate: null));
    }

    private TrainingRun Open(string name, List<string>? log = null, TrainingPipeline? pipeline = null) =>
        TrainingRun.OpenAsync(pipeline ?? _pipeline, new TrainingRunOptions
        {
            OutputFolder = _folder.File(name),
            Log = log is null ? null : new Collect(log),
        }).GetAwaiter().GetResult();

    private static void AssertSameEntries(string expected, string actual)
    {
        using var a = ZipFile.OpenRead(expected);
        using var b = ZipFile.OpenRead(actual);
        Assert.Equal(a.Entries.Select(e => e.FullName), b.Entries.Select(e => e.FullName));
        foreach (var entry in a.Entries)
            Assert.True(Bytes(entry).AsSpan().SequenceEqual(Bytes(b.GetEntry(entry.FullName)!)), $"{Path.GetFileName(actual)}: entry '{entry.FullName}' differs");
    }

    private static byte[] Bytes(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Collects log lines from both stage threads.</summary>
    private sealed class Collect(List<string> into) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (into) into.Add(value);
        }
    }
}
