using System.Diagnostics;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Randomness;
using Xunit.Abstractions;
using static MlNetInverse.Tests.Models.ModelTestData;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models.Mdn;

[Collection(TorchDeterminismCollection.Name)]
public sealed class MdnLargeLatentTests(ITestOutputHelper output)
{
    [Fact]
    public void GivenAn8x8x8Latent_WhenTrainedAFewStepsWithFortyComponents_ThenItSamplesThirtyLatentsPerTargetQuickly()
    {
        const int count = 256, dimension = 512;
        var random = new SeededRandom(3, 1);
        var absorption = Enumerable.Range(0, count).Select(_ => (float)(0.3 + 0.45 * random.NextDouble())).ToArray();
        var latents = new float[count * dimension];
        for (int i = 0; i < latents.Length; i++) latents[i] = (float)(absorption[i / dimension] * (i % 7) + random.NextDouble());

        var watch = Stopwatch.StartNew();
        var result = new MdnTrainer(
            new MdnOptions { Components = 40, HiddenUnits = 128 },
            new MdnTrainingOptions { Epochs = 2, BatchSize = 64, Seed = 1, Threads = 1 }).Train(absorption, latents);
        double trainSeconds = watch.Elapsed.TotalSeconds;
        using var model = result.Model;
        watch.Restart();
        var samples = model.Sample(tensor(new float[] { 0.55f, 0.6f, 0.65f, 0.7f, 0.75f }), 30, seed: 5);
        double sampleSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        using (model.Sample(tensor(new float[] { 0.55f, 0.6f, 0.65f, 0.7f, 0.75f }), 30, seed: 6)) { }
        double warmSeconds = watch.Elapsed.TotalSeconds;
        output.WriteLine($"L=512, K=40: 2 epochs x 4 steps of 64 in {trainSeconds:F2} s, [5, 30, 512] sampled in {sampleSeconds * 1000:F0} ms (again: {warmSeconds * 1000:F0} ms); held-out NLL {result.HeldOutNllPerDimension:F3} nats per value");

        Assert.Equal([5L, 30L, 512L], samples.shape);
        Assert.All(Values(samples), v => Assert.True(float.IsFinite(v)));
        Assert.True(result.History[1].TrainingNll < result.History[0].TrainingNll, "a few steps already lower the training NLL");
        Assert.True(double.IsFinite(result.HeldOutNll));
    }

    [Fact]
    public void GivenA16x16x16Latent_WhenBuiltWithFortyComponents_ThenTheMixtureAndSamplesHaveTheRightShapes()
    {
        var watch = Stopwatch.StartNew();
        using var model = new MixtureDensityNetwork(new MdnOptions { Components = 40, HiddenUnits = 32, LatentDimension = 4096 }, seed: 1);
        using var absorption = tensor(new float[] { 0.5f, 0.7f });
        using var mixture = model.Mixture(absorption);
        var samples = model.Sample(absorption, 30, seed: 2);
        output.WriteLine($"L=4096, K=40: built and sampled [2, 30, 4096] in {watch.Elapsed.TotalSeconds:F2} s");
        Assert.Equal([2L, 40L, 4096L], mixture.Sigmas.shape);
        Assert.Equal([2L, 30L, 4096L], samples.shape);
        Assert.Equal(1, model.LogLikelihood(absorption, samples.select(1, 0)).dim());
    }
}
