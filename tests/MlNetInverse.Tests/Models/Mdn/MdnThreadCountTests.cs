using MlNetInverse.Models.Mdn;
using MlNetInverse.Physics.Randomness;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static MlNetInverse.Tests.Models.ModelTestData;

namespace MlNetInverse.Tests.Models.Mdn;

/// <summary>
/// The MDN stage may widen to the idle cores epoch by epoch (TrainingOptions.ThreadsWhenIdle) only because its weights
/// do not depend on the torch thread count; this pins that at the pipeline's network size (80 components, 512 latent
/// values, 2 hidden layers of 128).
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class MdnThreadCountTests
{
    private static (float[] Absorption, float[] Latents) Pairs()
    {
        const int count = 600, dimension = 512;
        var random = new SeededRandom(4, 2);
        var absorption = Enumerable.Range(0, count).Select(_ => (float)(0.3 + 0.45 * random.NextDouble())).ToArray();
        var latents = new float[count * dimension];
        for (int i = 0; i < latents.Length; i++) latents[i] = (float)(absorption[i / dimension] * (i % 5) + random.NextDouble());
        return (absorption, latents);
    }

    private static float[] Trained(MdnTrainingOptions training)
    {
        var (absorption, latents) = Pairs();
        using var model = new MdnTrainer(new MdnOptions { Components = 80, HiddenUnits = 128, HiddenLayers = 2 }, training).Train(absorption, latents).Model;
        return State(model);
    }

    [Fact]
    public void GivenThePipelinesNetworkSize_WhenTrainedAtOneTwoOrIdleWidenedThreads_ThenTheWeightsAreBitIdentical_AndTorchsCountIsRestored()
    {
        var options = new MdnTrainingOptions { Epochs = 3, BatchSize = 128, Seed = 3, Threads = 1 };
        using var caller = new TorchThreadScope(1);

        var one = Trained(options);
        var two = Trained(options with { Threads = 2 });
        var widened = Trained(options with { ThreadsWhenIdle = 2 });

        Assert.Equal(one, two);
        Assert.Equal(one, widened);
        Assert.Equal(1, torch.get_num_threads());
    }

    [Fact]
    public void GivenThreadsWhenIdleWithoutAFixedCount_WhenValidated_ThenTheErrorNamesIt()
    {
        var error = Assert.Throws<ArgumentException>(() => new MdnTrainer(new MdnOptions(), new MdnTrainingOptions { Threads = 0, ThreadsWhenIdle = 2 }));
        Assert.Equal("ThreadsWhenIdle", error.ParamName);
        Assert.Contains("Threads is 0", error.Message);
        Assert.Equal("ThreadsWhenIdle", Assert.Throws<ArgumentException>(() => new MdnTrainer(new MdnOptions(), new MdnTrainingOptions { Threads = 1, ThreadsWhenIdle = -1 })).ParamName);
    }
}
