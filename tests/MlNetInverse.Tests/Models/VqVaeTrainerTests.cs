using MlNetInverse.Models.Quantization;
using MlNetInverse.Models.Training;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Tests.Cli;
using static TorchSharp.torch;
using static MlNetInverse.Tests.Models.ModelTestData;
using static MlNetInverse.Tests.Models.TrainingTestData;

namespace MlNetInverse.Tests.Models;

[Collection(TorchDeterminismCollection.Name)]
public sealed class VqVaeTrainerTests
{
    private static readonly (float[] Images, float[] Absorption, double[] VolumeFractions) Data = GrfMaps(24, 16, seed: 3);

    private static VqVaeTrainingOptions Training(int epochs, string? checkpoint = null, long seed = 7) => new()
    {
        Epochs = epochs,
        BatchSize = 8,
        LearningRate = 3e-3,
        AbsorptionSubsetDivisor = 4,
        Seed = seed,
        CheckpointPath = checkpoint,
        Threads = 1,
    };

    private static VqVaeOptions Model(QuantizerUpdate update = QuantizerUpdate.Ema) => TinyOptions(update, deadCodeThreshold: 2);

    [Theory]
    [InlineData(QuantizerUpdate.Ema)]
    [InlineData(QuantizerUpdate.CodebookLoss)]
    public void GivenTheSameSeedOnTheCpu_WhenTrainingTwice_ThenTheWeightsAreBitIdentical(QuantizerUpdate update)
    {
        using var surrogate = TinySurrogate();
        float[] Run(long seed)
        {
            var result = new VqVaeTrainer(Model(update), Training(2, seed: seed)).Train(Data.Images, Data.Absorption, surrogate);
            using var model = result.Model;
            return State(model);
        }
        var first = Run(7);
        Assert.Equal(first, Run(7));
        Assert.NotEqual(first, Run(8));
    }

    [Fact]
    public void GivenTrainingImages_WhenTrained_ThenTheModelReadsEachImagesVolumeFractionFromItsQuantizedLatents()
    {
        using var surrogate = TinySurrogate();
        using var model = new VqVaeTrainer(Model(), Training(2)).Train(Data.Images, Data.Absorption, surrogate).Model;
        using var images = tensor(Data.Images, [Data.VolumeFractions.Length, 1, 16, 16]);
        using var noGrad = no_grad();

        using var latents = model.Quantizer.Lookup(model.Quantizer.NearestIndices(model.Encode(images)));
        var read = model.VolumeFractionReadout!.Read(latents).data<float>().ToArray();

        var truth = Enumerable.Range(0, read.Length).Select(i => Data.Images.Skip(i * 256).Take(256).Count(p => p > 0.5f) / 256.0).ToArray();
        double spread = truth.Max() - truth.Min();
        Assert.True(spread > 0.1, $"the test maps should differ in volume fraction (spread {spread:F3})");
        // The fit itself (on the images it was fitted to), not a held-out figure: 48 latent values for 24 maps.
        for (int i = 0; i < read.Length; i++) Assert.InRange(read[i], truth[i] - 0.02, truth[i] + 0.02);
    }

    [Fact]
    public void GivenNoVolumeFractionReadout_WhenTrained_ThenTheModelHasNoneAndTheSameWeights()
    {
        using var surrogate = TinySurrogate();
        using var withReadout = new VqVaeTrainer(Model(), Training(2)).Train(Data.Images, Data.Absorption, surrogate).Model;
        using var without = new VqVaeTrainer(Model(), Training(2) with { FitVolumeFractionReadout = false }).Train(Data.Images, Data.Absorption, surrogate).Model;

        Assert.NotNull(withReadout.VolumeFractionReadout);
        Assert.Null(without.VolumeFractionReadout);
        // The readout is fitted after the last epoch: leaving it out must not move a weight.
        Assert.Equal(State(withReadout), State(without));
    }

    [Fact]
    public void GivenARunStoppedAfterOneEpoch_WhenResumedFromItsCheckpoint_ThenItEndsWithTheWeightsOfAnUninterruptedRun()
    {
        using var folder = new TempFolder();
        using var surrogate = TinySurrogate();
        var uninterrupted = new VqVaeTrainer(Model(), Training(3)).Train(Data.Images, Data.Absorption, surrogate);

        var checkpoint = folder.File("vqvae.ckpt");
        new VqVaeTrainer(Model(), Training(1, checkpoint)).Train(Data.Images, Data.Absorption, surrogate).Model.Dispose();
        var resumed = new VqVaeTrainer(Model(), Training(3, checkpoint)).Train(Data.Images, Data.Absorption, surrogate);

        Assert.Equal(1, resumed.ResumedFromEpoch);
        Assert.Equal(State(uninterrupted.Model), State(resumed.Model));
        Assert.Equal(3, resumed.History.Count);
        Assert.Equal(uninterrupted.History.Select(h => h.Loss), resumed.History.Select(h => h.Loss));
        Assert.False(File.Exists(checkpoint + ".tmp"));
    }

    [Fact]
    public void GivenCancellationAfterTheFirstEpoch_WhenTraining_ThenTheCheckpointKeepsThatEpoch_AndResumingFinishesTheRunExactly()
    {
        using var folder = new TempFolder();
        var checkpoint = folder.File("vqvae.ckpt");
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<EpochMetrics>(m => { if (m.Epoch == 1) cancellation.Cancel(); });

        Assert.ThrowsAny<OperationCanceledException>(() =>
            new VqVaeTrainer(Model(), Training(3, checkpoint)).Train(Data.Images, progress: progress, cancellationToken: cancellation.Token));

        var kept = TrainingCheckpoint.ReadIfExists(checkpoint, VqVaeTrainer.CheckpointKind);
        Assert.NotNull(kept);
        Assert.Equal(1, kept!.CompletedEpochs);
        Assert.Single(progress.Reports);

        var resumed = new VqVaeTrainer(Model(), Training(3, checkpoint)).Train(Data.Images);
        var uninterrupted = new VqVaeTrainer(Model(), Training(3)).Train(Data.Images);
        Assert.Equal(State(uninterrupted.Model), State(resumed.Model));
    }

    [Fact]
    public void GivenACheckpointOfAnotherConfiguration_WhenTraining_ThenItRefusesToResumeAndSaysWhy()
    {
        using var folder = new TempFolder();
        var checkpoint = folder.File("vqvae.ckpt");
        new VqVaeTrainer(Model(), Training(1, checkpoint)).Train(Data.Images).Model.Dispose();
        var error = Assert.Throws<InvalidOperationException>(() =>
            new VqVaeTrainer(Model() with { CodebookSize = 16 }, Training(2, checkpoint)).Train(Data.Images));
        Assert.Contains("delete it or choose another CheckpointPath", error.Message);
    }

    [Fact]
    public void GivenASurrogate_WhenTraining_ThenEveryEpochReportsSaneMetrics_AndTheSurrogateIsLeftUnchanged()
    {
        using var surrogate = TinySurrogate();
        var before = State(surrogate);
        var progress = new SynchronousProgress<EpochMetrics>();

        var result = new VqVaeTrainer(Model(), Training(2)).Train(Data.Images, Data.Absorption, surrogate, progress);

        Assert.Equal(2, result.History.Count);
        Assert.Equal(result.History, progress.Reports);
        Assert.All(result.History, m =>
        {
            Assert.InRange(m.PixelAccuracy, 0, 1);
            Assert.InRange(m.CodesUsed, 1, 8);
            Assert.InRange(m.Perplexity, 1, 8.0001);
            Assert.True(m.ReconstructionError is > 0 and < 1);
            Assert.NotNull(m.AbsorptionLoss);
            Assert.True(m.ImagesPerSecond > 0 && m.Seconds > 0);
        });
        Assert.Equal(before, State(surrogate));
        Assert.All(surrogate.parameters(), p => Assert.True(p.requires_grad));
        Assert.False(result.Model.training);
        Assert.Null(new VqVaeTrainer(Model(), Training(1)).Train(Data.Images).History[0].AbsorptionLoss);
    }

    [Fact]
    public void GivenBadImagesOrLabels_WhenTraining_ThenTheErrorNamesTheProblem()
    {
        var trainer = new VqVaeTrainer(Model(), Training(1));
        Assert.Contains("N * 16 * 16", Assert.Throws<ArgumentException>(() => trainer.Train(new float[300])).Message);
        var bright = new float[256];
        bright[17] = 1.5f;
        Assert.Contains("pixel 17 is 1.5", Assert.Throws<ArgumentException>(() => trainer.Train(bright)).Message);
        Assert.Contains("one label per image (24)", Assert.Throws<ArgumentException>(() => trainer.Train(Data.Images, new float[3])).Message);

        using var surrogate = TinySurrogate();
        var byLabel = new VqVaeTrainer(Model(), Training(1) with { AbsorptionReference = AbsorptionReference.Label });
        Assert.Contains("needs the absorption labels", Assert.Throws<ArgumentException>(() => byLabel.Train(Data.Images, null, surrogate)).Message);
    }

    [Theory]
    [InlineData(nameof(VqVaeTrainingOptions.Epochs))]
    [InlineData(nameof(VqVaeTrainingOptions.BatchSize))]
    [InlineData(nameof(VqVaeTrainingOptions.LearningRate))]
    [InlineData(nameof(VqVaeTrainingOptions.Beta))]
    [InlineData(nameof(VqVaeTrainingOptions.AbsorptionSubsetDivisor))]
    [InlineData(nameof(VqVaeTrainingOptions.Threads))]
    public void GivenATrainingOptionOutOfRange_WhenCreatingATrainer_ThenTheErrorNamesTheOption(string option)
    {
        var options = option switch
        {
            nameof(VqVaeTrainingOptions.Epochs) => new VqVaeTrainingOptions { Epochs = 0 },
            nameof(VqVaeTrainingOptions.BatchSize) => new VqVaeTrainingOptions { BatchSize = 0 },
            nameof(VqVaeTrainingOptions.LearningRate) => new VqVaeTrainingOptions { LearningRate = -1 },
            nameof(VqVaeTrainingOptions.Beta) => new VqVaeTrainingOptions { Beta = double.PositiveInfinity },
            nameof(VqVaeTrainingOptions.AbsorptionSubsetDivisor) => new VqVaeTrainingOptions { AbsorptionSubsetDivisor = 0 },
            _ => new VqVaeTrainingOptions { Threads = -2 },
        };
        var error = Assert.Throws<ArgumentException>(() => new VqVaeTrainer(new VqVaeOptions(), options));
        Assert.Contains($"VqVaeTrainingOptions.{option}", error.Message);
    }
}
