using MlNetInverse.Models.Mdn;
using MlNetInverse.Tests.Cli;
using static MlNetInverse.Tests.Models.ModelTestData;
using static MlNetInverse.Tests.Models.TrainingTestData;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models.Mdn;

[Collection(TorchDeterminismCollection.Name)]
public sealed class MdnTrainerTests
{
    private static readonly MdnOptions Tiny = new() { Components = 3, HiddenUnits = 8, HiddenLayers = 1 };

    // Interval 0: a checkpoint after every epoch, so a cancel after epoch 1 leaves epoch 1 to resume from.
    private static MdnTrainingOptions Training(string? checkpoint = null) =>
        new() { Epochs = 3, BatchSize = 32, LearningRate = 3e-3, Seed = 9, Threads = 1, CheckpointPath = checkpoint, CheckpointIntervalSeconds = 0 };

    [Fact]
    public void GivenTheSameSeed_WhenTrainingTwice_ThenTheWeightsAreBitIdentical_AndAResumedRunMatchesToo()
    {
        var (absorption, latents) = KnownMixture.Pairs(200, seed: 2);
        using var first = new MdnTrainer(Tiny, Training()).Train(absorption, latents).Model;
        using var second = new MdnTrainer(Tiny, Training()).Train(absorption, latents).Model;
        Assert.Equal(State(first), State(second));
        using var otherSeed = new MdnTrainer(Tiny, Training() with { Seed = 10 }).Train(absorption, latents).Model;
        Assert.NotEqual(State(first), State(otherSeed));

        using var folder = new TempFolder();
        var checkpoint = folder.File("mdn.ckpt");
        using var cancellation = new CancellationTokenSource();
        var stopAfterOne = new SynchronousProgress<MdnEpochMetrics>(m => { if (m.Epoch == 1) cancellation.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => new MdnTrainer(Tiny, Training(checkpoint)).Train(absorption, latents, stopAfterOne, cancellation.Token));
        Assert.Single(stopAfterOne.Reports);
        var resumed = new MdnTrainer(Tiny, Training(checkpoint)).Train(absorption, latents);
        using var resumedModel = resumed.Model;

        Assert.Equal(1, resumed.ResumedFromEpoch);
        Assert.Equal(3, resumed.History.Count);
        Assert.Equal(State(first), State(resumedModel));
        Assert.Contains("delete it", Assert.Throws<InvalidOperationException>(() =>
            new MdnTrainer(Tiny with { Components = 4 }, Training(checkpoint)).Train(absorption, latents)).Message);
    }

    [Fact]
    public void GivenALongCheckpointInterval_WhenTraining_ThenOnlyTheLastEpochIsWritten_AndTheWeightsDoNotChange()
    {
        var (absorption, latents) = KnownMixture.Pairs(200, seed: 2);
        using var unsaved = new MdnTrainer(Tiny, Training()).Train(absorption, latents).Model;
        using var folder = new TempFolder();
        var checkpoint = folder.File("mdn.ckpt");
        var written = new List<bool>();
        var progress = new SynchronousProgress<MdnEpochMetrics>(_ => written.Add(File.Exists(checkpoint)));
        var result = new MdnTrainer(Tiny, Training(checkpoint) with { CheckpointIntervalSeconds = 3600 }).Train(absorption, latents, progress);
        using var model = result.Model;

        Assert.Equal([false, false, true], written);
        Assert.Equal(State(unsaved), State(model));
        var resumed = new MdnTrainer(Tiny, Training(checkpoint)).Train(absorption, latents);
        using var resumedModel = resumed.Model;
        Assert.Equal(3, resumed.ResumedFromEpoch);
        Assert.Equal(State(unsaved), State(resumedModel));
        Assert.Equal("CheckpointIntervalSeconds", Assert.Throws<ArgumentException>(() => new MdnTrainer(Tiny, Training() with { CheckpointIntervalSeconds = -1 })).ParamName);
    }

    [Fact]
    public void GivenAHeldOutFraction_WhenTrained_ThenTheHeldOutNllIsMeasuredOnPairsNeverTrainedOnOrUsedForTheNormalisation()
    {
        var (absorption, latents) = KnownMixture.Pairs(300, seed: 5);
        var trainer = new MdnTrainer(Tiny, Training() with { HeldOutFraction = 0.2 });
        var heldOut = trainer.HeldOutIndices(300);
        var progress = new SynchronousProgress<MdnEpochMetrics>();
        var result = trainer.Train(absorption, latents, progress);
        using var model = result.Model;

        Assert.Equal(60, heldOut.Length);
        Assert.Equal(heldOut, result.HeldOutIndices);
        Assert.Equal(3, progress.Reports.Count);
        var training = Enumerable.Range(0, 300).Except(heldOut).ToArray();
        var fitted = MdnNormalization.Fit(absorption, latents, 2, training);
        Assert.Equal(fitted.LatentMean, model.Normalization.LatentMean);
        Assert.Equal(fitted.AbsorptionMin, model.TrainingAbsorptionMin);
        Assert.Equal(training.Max(i => absorption[i]), (float)model.TrainingAbsorptionMax);
        Assert.True(model.IsInTrainingRange(training.Min(i => absorption[i])));
        Assert.False(model.IsInTrainingRange(training.Max(i => absorption[i]) + 1e-3));

        double NllOf(int[] rows) => -Values(model.LogLikelihood(
            tensor(rows.Select(i => absorption[i]).ToArray()),
            tensor(rows.SelectMany(i => new[] { latents[2 * i], latents[2 * i + 1] }).ToArray(), [rows.Length, 2]))).Average(v => (double)v);
        Assert.Equal(NllOf(heldOut), result.HeldOutNll, 4);
        Assert.Equal(NllOf(training), result.TrainingNll, 4);
        Assert.NotEqual(result.HeldOutNll, result.TrainingNll);
        Assert.Equal(result.HeldOutNll, result.History[^1].HeldOutNll, 12);
        Assert.Equal(result.HeldOutNll / 2, result.HeldOutNllPerDimension, 12);
    }

    [Fact]
    public void GivenBadPairs_WhenTraining_ThenErrorsNameTheProblem()
    {
        var (absorption, latents) = KnownMixture.Pairs(20, seed: 1);
        var trainer = new MdnTrainer(Tiny with { LatentDimension = 2 }, Training());
        var nan = (float[])absorption.Clone();
        nan[3] = float.NaN;
        Assert.Contains("absorption[3] is NaN", Assert.Throws<ArgumentException>(() => trainer.Train(nan, latents)).Message);
        var badLatent = (float[])latents.Clone();
        badLatent[5] = float.PositiveInfinity;
        Assert.Contains("target 2, dimension 1", Assert.Throws<ArgumentException>(() => trainer.Train(absorption, badLatent)).Message);
        Assert.Contains("not a multiple of 2", Assert.Throws<ArgumentException>(() => trainer.Train(absorption, latents[..^1])).Message);
        Assert.Contains("19 latent vectors of dimension 2 but absorption holds 20", Assert.Throws<ArgumentException>(() => trainer.Train(absorption, latents[..^2])).Message);
        Assert.Contains("not a positive multiple of 20", Assert.Throws<ArgumentException>(() => new MdnTrainer(Tiny, Training()).Train(absorption, latents[..^1])).Message);
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => trainer.Train(absorption[..1], latents[..2])).Message);
        Assert.Equal("HeldOutFraction", Assert.Throws<ArgumentException>(() => new MdnTrainer(Tiny, Training() with { HeldOutFraction = 1 })).ParamName);
        Assert.Equal("Epochs", Assert.Throws<ArgumentException>(() => new MdnTrainer(Tiny, Training() with { Epochs = 0 })).ParamName);
        Assert.Equal("LatentDimension", Assert.Throws<ArgumentException>(() => new MdnTrainer(Tiny with { LatentDimension = -1 }, Training())).ParamName);
    }

    [Fact]
    public void GivenLatentDimensionZero_WhenTraining_ThenItIsTakenFromTheData()
    {
        var (absorption, latents) = KnownMixture.Pairs(40, seed: 3);
        using var model = new MdnTrainer(Tiny, Training() with { Epochs = 1 }).Train(absorption, latents).Model;
        Assert.Equal(2, model.Options.LatentDimension);
        Assert.Equal([4L, 30L, 2L], model.Sample(tensor(new float[] { 0.1f, 0.2f, 0.3f, 0.4f }), 30, seed: 1).shape);
    }
}
