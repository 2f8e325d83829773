using System.Diagnostics;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.Training;
using MlNetInverse.Tests.Cli;
using Xunit.Abstractions;
using static MlNetInverse.Tests.Models.ModelTestData;
using static MlNetInverse.Tests.Models.TrainingTestData;

namespace MlNetInverse.Tests.Models;

[Collection(TorchDeterminismCollection.Name)]
public sealed class SurrogateTrainerTests(ITestOutputHelper output)
{
    [Fact]
    public void GivenGrfMapsWithAStructureDependentProperty_WhenTrained_ThenTheHeldOutRSquaredExceeds0Point9()
    {
        var (images, absorption, volumeFractions) = GrfMaps(600, 64, seed: 11);
        var trainer = new SurrogateTrainer(
            new AbsorptionSurrogateOptions { BaseChannels = 8, HiddenUnits = 32 },
            new SurrogateTrainingOptions { Epochs = 10, BatchSize = 32, LearningRate = 3e-3, Seed = 5, Threads = 1 });
        var heldOut = trainer.HeldOutIndices(600);
        // The label is not a function of the volume fraction alone: the best quadratic in it leaves a lot unexplained,
        // so a held-out R^2 above 0.9 means the network learned the structure too.
        double volumeFractionOnly = QuadraticFitRSquared(volumeFractions, absorption, heldOut);
        output.WriteLine($"R^2 of the best quadratic in the volume fraction alone: {volumeFractionOnly:F3}");
        Assert.True(volumeFractionOnly < 0.85);

        var watch = Stopwatch.StartNew();
        var result = trainer.Train(images, absorption);
        output.WriteLine(SurrogateDatasetTraining.Describe(result));
        output.WriteLine($"wall {watch.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(120, result.HeldOut.Count);
        Assert.Equal(480, result.Training.Count);
        Assert.Equal(heldOut, result.HeldOutIndices);
        Assert.True(result.HeldOut.RSquared > 0.9, $"held-out R^2 {result.HeldOut.RSquared:F3}");
        Assert.Equal(result.History[^1].HeldOutRSquared, result.HeldOut.RSquared, 12);
    }

    [Fact]
    public void GivenASeed_WhenSplitting_ThenTheHeldOutSetIsDisjointDeterministicAndOfTheRequestedSize()
    {
        var trainer = new SurrogateTrainer(new AbsorptionSurrogateOptions(), new SurrogateTrainingOptions { HeldOutFraction = 0.25, Seed = 3 });
        var heldOut = trainer.HeldOutIndices(200);
        Assert.Equal(50, heldOut.Length);
        Assert.Equal(50, heldOut.Distinct().Count());
        Assert.All(heldOut, i => Assert.InRange(i, 0, 199));
        Assert.Equal(heldOut, trainer.HeldOutIndices(200));
        Assert.NotEqual(heldOut, new SurrogateTrainer(new AbsorptionSurrogateOptions(), new SurrogateTrainingOptions { HeldOutFraction = 0.25, Seed = 4 }).HeldOutIndices(200));
        Assert.Throws<ArgumentException>(() => trainer.HeldOutIndices(1));
    }

    [Fact]
    public void GivenTheSameSeed_WhenTrainingTwice_ThenTheWeightsAreBitIdentical_AndAResumedRunMatchesToo()
    {
        var (images, absorption, _) = GrfMaps(40, 16, seed: 2);
        var model = new AbsorptionSurrogateOptions { ImageSize = 16, BaseChannels = 2, HiddenUnits = 8 };
        SurrogateTrainingOptions Options(int epochs, string? checkpoint = null) =>
            new() { Epochs = 3, BatchSize = 8, Seed = 9, Threads = 1, CheckpointPath = checkpoint };

        var first = new SurrogateTrainer(model, Options(3)).Train(images, absorption);
        var second = new SurrogateTrainer(model, Options(3)).Train(images, absorption);
        Assert.Equal(State(first.Model), State(second.Model));

        using var folder = new TempFolder();
        var checkpoint = folder.File("surrogate.ckpt");
        using var cancellation = new CancellationTokenSource();
        var stopAfterOne = new SynchronousProgress<SurrogateEpochMetrics>(m => { if (m.Epoch == 1) cancellation.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new SurrogateTrainer(model, Options(3, checkpoint)).Train(images, absorption, stopAfterOne, cancellation.Token));
        var resumed = new SurrogateTrainer(model, Options(3, checkpoint)).Train(images, absorption);

        Assert.Equal(1, resumed.ResumedFromEpoch);
        Assert.Equal(State(first.Model), State(resumed.Model));
        Assert.Equal(first.HeldOut, resumed.HeldOut);
    }

    [Fact]
    public void GivenATrainedSurrogate_WhenSavedAndLoaded_ThenPredictionsAreBitIdentical()
    {
        var (images, absorption, _) = GrfMaps(20, 16, seed: 4);
        var model = new AbsorptionSurrogateOptions { ImageSize = 16, BaseChannels = 2, HiddenUnits = 8 };
        using var trained = new SurrogateTrainer(model, new SurrogateTrainingOptions { Epochs = 1, BatchSize = 8 }).Train(images, absorption).Model;

        using var stream = new MemoryStream();
        trained.Save(stream);
        stream.Position = 0;
        using var loaded = AbsorptionSurrogateModel.Load(stream);

        Assert.Equal(model, loaded.Options);
        Assert.Equal(trained.LabelMean, loaded.LabelMean);
        Assert.Equal(SurrogateEvaluation.Predict(trained, images), SurrogateEvaluation.Predict(loaded, images));
        using var other = new MemoryStream();
        using (var vqvae = new MlNetInverse.Models.VqVae.VqVaeModel(TinyOptions())) vqvae.Save(other);
        other.Position = 0;
        Assert.Contains("VqVaeModel", Assert.Throws<InvalidDataException>(() => AbsorptionSurrogateModel.Load(other)).Message);
    }

    [Fact]
    public void GivenAPeriodicPattern_WhenShiftedCyclicallyByTheTotalStride_ThenThePredictionIsUnchanged()
    {
        var (images, _, _) = GrfMaps(1, 16, seed: 8);
        using var surrogate = TinySurrogate(seed: 3);
        var shifted = new float[256];
        for (int x = 0; x < 16; x++)
        for (int y = 0; y < 16; y++)
            shifted[(x + 8) % 16 * 16 + (y + 8) % 16] = images[x * 16 + y];
        Assert.Equal(SurrogateEvaluation.Predict(surrogate, images)[0], SurrogateEvaluation.Predict(surrogate, shifted)[0], 5);
    }

    [Fact]
    public void GivenASymmetryOfTheSquare_WhenAppliedToAMap_ThenTheStandInLabelIsUnchanged()
    {
        var (images, _, _) = GrfMaps(1, 16, seed: 6);
        using var batch = TorchSharp.torch.tensor(images, [1, 1, 16, 16]);
        double label = StandInAbsorption(MlNetInverse.Physics.Microstructures.Microstructure.FromPixels(images, 16));
        for (int symmetry = 0; symmetry < 8; symmetry++)
        {
            var pixels = Values(SurrogateTrainer.Symmetry(batch, symmetry));
            Assert.Equal(images.Sum(), pixels.Sum());
            Assert.Equal(label, StandInAbsorption(MlNetInverse.Physics.Microstructures.Microstructure.FromPixels(pixels, 16)), 12);
        }
    }

    private static double QuadraticFitRSquared(double[] x, float[] y, int[] indices)
    {
        // Least squares y ~ a + b x + c x^2 via the 3x3 normal equations (Cramer's rule).
        var s = new double[5];
        var t = new double[3];
        foreach (int i in indices)
        {
            double p = 1;
            for (int k = 0; k < 5; k++, p *= x[i]) s[k] += p;
            t[0] += y[i]; t[1] += y[i] * x[i]; t[2] += y[i] * x[i] * x[i];
        }
        double[,] m = { { s[0], s[1], s[2] }, { s[1], s[2], s[3] }, { s[2], s[3], s[4] } };
        double Det(double[,] a) => a[0, 0] * (a[1, 1] * a[2, 2] - a[1, 2] * a[2, 1]) - a[0, 1] * (a[1, 0] * a[2, 2] - a[1, 2] * a[2, 0]) + a[0, 2] * (a[1, 0] * a[2, 1] - a[1, 1] * a[2, 0]);
        double d = Det(m);
        var c = new double[3];
        for (int k = 0; k < 3; k++)
        {
            var mk = (double[,])m.Clone();
            for (int r = 0; r < 3; r++) mk[r, k] = t[r];
            c[k] = Det(mk) / d;
        }
        double mean = indices.Average(i => (double)y[i]);
        double residual = indices.Sum(i => Math.Pow(y[i] - (c[0] + c[1] * x[i] + c[2] * x[i] * x[i]), 2));
        double total = indices.Sum(i => Math.Pow(y[i] - mean, 2));
        return 1 - residual / total;
    }
}
