using Microsoft.ML.Data;
using MlNetInverse.ML.Onnx;
using MlNetInverse.ML.Scoring;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;

namespace MlNetInverse.Tests.Scoring;

/// <summary>Batch scoring on a tiny generator: agreement with the ML.NET chain and between engines, resume, shards, encodings.</summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class BatchScorerTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TinyGenerator _generator = TinyGenerator.Create(samples: 4);
    private readonly string _model;

    public BatchScorerTests() => _model = _generator.Save(_folder.File("model.zip"));

    public void Dispose()
    {
        _generator.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void GivenTargets_WhenScoredOnTorch_ThenEachTargetsImagesAreTheGenerationChainsDrawsInOrder()
    {
        float[] targets = [0.35f, 0.5f, 0.62f, 0.9f, 0.77f];
        var input = ScoringFiles.WriteTargets(_folder.File("targets.parquet"), targets);
        var summary = BatchScorer.Score(_model, input, _folder.File("images.parquet"), new BatchScoringOptions { BatchSize = 2, SamplesPerTarget = 4 });
        var rows = ScoringFiles.Read(summary.Output);

        var chain = _generator.Model.Transform(_generator.Targets(targets));
        var images = chain.GetColumn<float[]>("GeneratedImages").ToArray();
        var predicted = chain.GetColumn<float[]>("PredictedAbsorption").ToArray();
        var inRange = chain.GetColumn<bool>("InTrainingRange").ToArray();
        Assert.Equal(targets.Length * 4, rows.Length);
        Assert.Equal(3, ScoringFiles.RowGroups(summary.Output));
        int pixels = _generator.Pixels;
        for (int i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            Assert.Equal(i / 4, row.InputRow);
            Assert.Equal(i % 4, row.Sample);
            Assert.Equal(targets[i / 4], row.Target);
            Assert.Equal(inRange[i / 4], row.InTrainingRange);
            Assert.Equal(images[i / 4].AsSpan(row.Sample * pixels, pixels).ToArray(), ScoringFiles.Unpack(row.Packed!, pixels));
            Assert.InRange(Math.Abs(predicted[i / 4][row.Sample] - row.PredictedAbsorption!.Value), 0, 1e-5);
        }
        Assert.Equal(1, summary.OutOfRangeTargets);
        Assert.False(Directory.Exists(_folder.File("images.parquet.parts")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void GivenAnMdnWithCorrelatedNoise_WhenScoredOnTorchAndOnOnnxRuntime_ThenBothGiveTheChainsImages(int noiseBands)
    {
        using var generator = TinyGenerator.Create(samples: 3, correlatedNoise: true, noiseBands: noiseBands);

        // The export carries the factor as the MDN graph's noise_factor output; the ONNX engine reads it and draws alike.
        var manifest = AssertEveryEngineGivesTheChainsImages(generator, "correlated");

        Assert.True(manifest.CorrelatedNoise);
        Assert.Equal(noiseBands, manifest.NoiseBands);
        using var plain = TinyGenerator.Create(samples: 3);
        var plainFiles = OnnxGeneratorExport.Export(plain.Model, _folder.File("plain.onnx"), overwrite: true);
        Assert.False(OnnxGeneratorManifest.Load(plainFiles.Manifest).CorrelatedNoise);
        Assert.DoesNotContain("\"correlated_noise\":", File.ReadAllText(plainFiles.Manifest));
    }

    [Fact]
    public void GivenAVqVaeWithAVolumeFractionReadout_WhenScoredOnTorchAndOnOnnxRuntime_ThenBothGiveTheChainsImages()
    {
        using var generator = TinyGenerator.Create(samples: 3, volumeFractionReadout: true);

        // The graph reads the volume fraction from the latents itself: scoring the zip and the export on ONNX Runtime agree.
        var manifest = AssertEveryEngineGivesTheChainsImages(generator, "readout");

        Assert.True(manifest.VolumeFractionReadout);
    }

    /// <summary>
    /// Scores three targets x 3 samples from <paramref name="generator"/>'s zip on TorchSharp (the chain's own images),
    /// then from the zip and from its export on ONNX Runtime (the same images); returns the export's manifest.
    /// </summary>
    private OnnxGeneratorManifest AssertEveryEngineGivesTheChainsImages(TinyGenerator generator, string name)
    {
        var model = generator.Save(_folder.File($"{name}.zip"));
        float[] targets = [0.45f, 0.6f, 0.7f];
        var input = ScoringFiles.WriteTargets(_folder.File($"{name}-targets.parquet"), targets);
        var rows = ScoringFiles.Read(BatchScorer.Score(model, input, _folder.File($"{name}.parquet"), new BatchScoringOptions { BatchSize = 2, SamplesPerTarget = 3 }).Output);

        var images = generator.Model.Transform(generator.Targets(targets)).GetColumn<float[]>("GeneratedImages").ToArray();
        int pixels = generator.Pixels;
        Assert.Equal(9, rows.Length);
        foreach (var row in rows)
            Assert.Equal(images[row.InputRow].AsSpan(row.Sample * pixels, pixels).ToArray(), ScoringFiles.Unpack(row.Packed!, pixels));

        var files = OnnxGeneratorExport.Export(generator.Model, _folder.File($"{name}.onnx"), overwrite: true);
        foreach (var source in new[] { model, files.Decoder })
        {
            var onnx = ScoringFiles.Read(BatchScorer.Score(source, input, _folder.File($"{name}-onnx-{Path.GetFileName(source)}.parquet"),
                new BatchScoringOptions { BatchSize = 2, SamplesPerTarget = 3, Engine = ScoringEngine.Onnx }).Output);
            Assert.Equal(rows.Select(r => ScoringFiles.Unpack(r.Packed!, pixels)), onnx.Select(r => ScoringFiles.Unpack(r.Packed!, pixels)));
        }
        return OnnxGeneratorManifest.Load(files.Manifest);
    }

    [Fact]
    public void GivenTheSameTargets_WhenScoredOnTorchAndOnOnnxRuntime_ThenImagesAreEqualAndAbsorptionAgreesTo1e5()
    {
        var input = ScoringFiles.WriteTargets(_folder.File("targets.parquet"), ScoringFiles.Spread(40));
        var torch = ScoringFiles.Read(BatchScorer.Score(_model, input, _folder.File("torch.parquet"), new BatchScoringOptions { BatchSize = 16, SamplesPerTarget = 3 }).Output);
        var onnx = ScoringFiles.Read(BatchScorer.Score(_model, input, _folder.File("onnx.parquet"),
            new BatchScoringOptions { BatchSize = 16, SamplesPerTarget = 3, Engine = ScoringEngine.Onnx }).Output);

        Assert.Equal(torch.Length, onnx.Length);
        for (int i = 0; i < torch.Length; i++)
        {
            Assert.Equal(torch[i].Packed, onnx[i].Packed);
            Assert.InRange(Math.Abs(torch[i].PredictedAbsorption!.Value - onnx[i].PredictedAbsorption!.Value), 0, 1e-5);
        }
    }

    [Fact]
    public void GivenAnExportedGenerator_WhenScoredOnOnnxRuntime_ThenTheOutputEqualsScoringTheZip()
    {
        var input = ScoringFiles.WriteTargets(_folder.File("targets.parquet"), ScoringFiles.Spread(10));
        var exported = OnnxGeneratorExport.Export(_generator.Model, _folder.File("export/generator.onnx"));
        var options = new BatchScoringOptions { BatchSize = 4, Engine = ScoringEngine.Onnx };
        var fromZip = ScoringFiles.Read(BatchScorer.Score(_model, input, _folder.File("zip.parquet"), options).Output);
        var fromOnnx = ScoringFiles.Read(BatchScorer.Score(exported.Decoder, input, _folder.File("onnx.parquet"), options).Output);
        Assert.Equal(fromZip.Select(r => (r.Target, r.InTrainingRange, r.PredictedAbsorption, Convert.ToHexString(r.Packed!))),
            fromOnnx.Select(r => (r.Target, r.InTrainingRange, r.PredictedAbsorption, Convert.ToHexString(r.Packed!))));

        var error = Assert.Throws<InvalidOperationException>(() =>
            BatchScorer.Score(exported.Decoder, input, _folder.File("torch.parquet"), new BatchScoringOptions { Engine = ScoringEngine.Torch }));
        Assert.Contains("--engine onnx", error.Message);
    }

    [Fact]
    public void GivenARunCancelledAfterTwoBlocks_WhenRunAgain_ThenItResumesThemAndTheOutputEqualsAnUninterruptedRun()
    {
        var input = ScoringFiles.WriteTargets(_folder.File("targets.parquet"), ScoringFiles.Spread(23), rowGroup: 7);
        var options = new BatchScoringOptions { BatchSize = 5, SamplesPerTarget = 2 };
        var whole = ScoringFiles.Read(BatchScorer.Score(_model, input, _folder.File("whole.parquet"), options).Output);

        string output = _folder.File("resumed.parquet");
        using var cancellation = new CancellationTokenSource();
        var progress = new Callback(p => { if (p.BlocksDone == 2) cancellation.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => BatchScorer.Score(_model, input, output, options, progress, cancellationToken: cancellation.Token));
        Assert.False(File.Exists(output));
        Assert.Equal(2, Directory.GetFiles(output + ".parts", "part-*.parquet").Length);

        var summary = BatchScorer.Score(_model, input, output, options);
        Assert.Equal(2, summary.ResumedBlocks);
        Assert.Equal(5, summary.Blocks);
        var resumed = ScoringFiles.Read(output);
        Assert.Equal(whole.Select(Key), resumed.Select(Key));
        Assert.False(Directory.Exists(output + ".parts"));
    }

    [Fact]
    public void GivenAnInterruptedRun_WhenRerunWithOtherSettings_ThenTheRunIsRefusedAndThePartsAreKept()
    {
        var input = ScoringFiles.WriteTargets(_folder.File("targets.parquet"), ScoringFiles.Spread(12));
        string output = _folder.File("images.parquet");
        using var cancellation = new CancellationTokenSource();
        var progress = new Callback(p => cancellation.Cancel());
        Assert.ThrowsAny<OperationCanceledException>(() =>
            BatchScorer.Score(_model, input, output, new BatchScoringOptions { BatchSize = 4 }, progress, cancellationToken: cancellation.Token));

        var error = Assert.Throws<InvalidOperationException>(() => BatchScorer.Score(_model, input, output, new BatchScoringOptions { BatchSize = 4, Seed = 99 }));
        Assert.Contains("seed", error.Message);
        Assert.Single(Directory.GetFiles(output + ".parts", "part-*.parquet"));
    }

    [Fact]
    public void GivenTwoShards_WhenEachIsScoredApart_ThenTogetherTheyAreTheWholeRun()
    {
        var input = ScoringFiles.WriteTargets(_folder.File("targets.parquet"), ScoringFiles.Spread(17));
        var whole = ScoringFiles.Read(BatchScorer.Score(_model, input, _folder.File("whole.parquet"), new BatchScoringOptions { BatchSize = 4 }).Output);
        var first = ScoringFiles.Read(BatchScorer.Score(_model, input, _folder.File("s1.parquet"), new BatchScoringOptions { BatchSize = 4, Shard = new DatasetShard(1, 2) }).Output);
        var second = ScoringFiles.Read(BatchScorer.Score(_model, input, _folder.File("s2.parquet"), new BatchScoringOptions { BatchSize = 4, Shard = new DatasetShard(2, 2) }).Output);

        Assert.Equal(8, first.Length);
        Assert.Equal(8, second[0].InputRow);
        Assert.Equal(whole.Select(Key), first.Concat(second).Select(Key));
    }

    [Fact]
    public void GivenFloatImages_WhenScored_ThenEachImageEqualsThePackedOneUnpacked()
    {
        var input = ScoringFiles.WriteTargets(_folder.File("targets.parquet"), ScoringFiles.Spread(6));
        var packed = ScoringFiles.Read(BatchScorer.Score(_model, input, _folder.File("packed.parquet"), new BatchScoringOptions { BatchSize = 4 }).Output);
        var floats = ScoringFiles.Read(BatchScorer.Score(_model, input, _folder.File("floats.parquet"),
            new BatchScoringOptions { BatchSize = 4, ImageEncoding = ScoreImageEncoding.Float, PredictAbsorption = false }).Output);
        Assert.All(floats, r => Assert.Null(r.PredictedAbsorption));
        Assert.Equal(packed.Select(r => ScoringFiles.Unpack(r.Packed!, _generator.Pixels)), floats.Select(r => r.Pixels!));
    }

    private static string Key(ScoringFiles.Row r) =>
        $"{r.InputRow}|{r.Sample}|{r.Target:R}|{r.InTrainingRange}|{r.PredictedAbsorption:R}|{Convert.ToHexString(r.Packed ?? [])}";

    private sealed class Callback(Action<ScoringProgress> report) : IProgress<ScoringProgress>
    {
        public void Report(ScoringProgress value) => report(value);
    }
}
