using MlNetInverse.ML.Scoring;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;

namespace MlNetInverse.Tests.Scoring;

/// <summary>The memory soak behind <c>bench score --soak</c>: batch after batch, no TorchSharp tensor outlives its batch.</summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class ScoringSoakTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenATinyModel_WhenSoakedOverManyBatches_ThenLiveTensorsAndDisposeScopeStatisticsStayFlat()
    {
        string model;
        using (var generator = TinyGenerator.Create(samples: 2)) model = generator.Save(_folder.File("model.zip"));
        var reported = new List<SoakSample>();

        var samples = ScoringBenchmark.Soak(model, images: 8 * 64, batch: 64, threads: 1, every: 64, reported.Add);

        Assert.Equal(samples, reported);
        Assert.Equal([0L, 64, 128, 192, 256, 320, 384, 448, 512], samples.Select(s => s.Images));
        var first = samples[0];
        Assert.All(samples, s => Assert.Equal(first.LiveTensors, s.LiveTensors));
        Assert.All(samples, s => Assert.Equal(0, s.ScopeLiveTensors));
        // The counters see the work: every batch creates tensors, and disposes exactly as many.
        Assert.True(samples[^1].ScopeCreatedTensors >= 8 * 4, $"created {samples[^1].ScopeCreatedTensors}");
        Assert.Equal(samples[^1].ScopeCreatedTensors, samples[^1].ScopeDisposedTensors);
        Assert.True(samples[^1].ResidentBytes > 0);
    }
}
