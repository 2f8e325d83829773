using MlNetInverse.Baselines;
using MlNetInverse.Baselines.GanMdn;
using MlNetInverse.Baselines.MdnInverse;
using MlNetInverse.Baselines.Shared;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;
using static MlNetInverse.Tests.Baselines.BaselineTestData;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Baselines;

[Collection(TorchDeterminismCollection.Name)]
public sealed class MdnInverseTests
{
    private const int Size = 16;

    private static MdnInverseOptions Options(int epochs = 4) => new()
    {
        ImageSize = Size, CodeDimension = 4, EncoderChannels = 4, DecoderChannels = 8, Mdn = TinyMdn, Epochs = epochs, BatchSize = 32,
        LearningRate = 3e-3, Seed = 2, Threads = 1,
    };

    [Fact]
    public void GivenGrfMaps_WhenTrainedEndToEnd_ThenBothLossesFall_AndGenerationGivesBinaryMapsOfTheRightSize()
    {
        var (images, absorption) = GrfMaps(256, Size, seed: 1);
        var progress = new TrainingTestData.SynchronousProgress<BaselineTrainingProgress>();
        var result = new MdnInverseTrainer(Options(epochs: 6)).Train(images, absorption, progress);
        using var method = result.Method;

        Assert.Equal(BaselineNames.MdnInverse, method.Name);
        Assert.Equal(6, result.History.Count);
        Assert.Equal(6, progress.Reports.Count);
        Assert.True(result.History[^1].ReconstructionLoss < result.History[0].ReconstructionLoss, "reconstruction must improve");
        Assert.True(result.History[^1].CodeNll < result.History[0].CodeNll, "the mixture must fit the codes better");
        var maps = method.Generate(0.6, 10, seed: 4);
        Assert.Equal(10, maps.Count);
        Assert.All(maps, m => { Assert.Equal(Size, m.Size); Assert.True(m.IsBinary); });
    }

    [Fact]
    public void GivenTheSameSeed_WhenTrainingTwice_ThenTheNetworksAreBitIdentical_AndCodesAreStandardised()
    {
        var (images, absorption) = GrfMaps(64, Size, seed: 2);
        using var first = new MdnInverseTrainer(Options(epochs: 1)).Train(images, absorption).Method;
        using var second = new MdnInverseTrainer(Options(epochs: 1)).Train(images, absorption).Method;
        Assert.Equal(ModelTestData.State(first.Network), ModelTestData.State(second.Network));

        // The MDN sees standardised absorption and identity-normalised codes (the encoder's batch norm standardises them).
        var normalization = first.Network.Mdn.Normalization;
        Assert.Equal(absorption.Average(v => (double)v), normalization.AbsorptionMean, 6);
        Assert.All(normalization.LatentStandardDeviation, s => Assert.Equal(1f, s));
        Assert.Equal(absorption.Min(), (float)first.Network.Mdn.TrainingAbsorptionMin);
        using var noGrad = no_grad();
        first.Network.train();
        using var codes = first.Network.Encode(tensor(images, [64, 1, Size, Size]));
        using var mean = codes.mean([0L]);
        Assert.All(ModelTestData.Values(mean), v => Assert.InRange(v, -1e-4f, 1e-4f));
        first.Network.eval();
    }

    [Fact]
    public void GivenACancelledToken_WhenTraining_ThenNothingIsTrained()
    {
        var (images, absorption) = GrfMaps(64, Size, seed: 4);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new MdnInverseTrainer(Options()).Train(images, absorption, cancellationToken: cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => new GanMdnTrainer(new GanMdnOptions { Gan = new GanOptions { ImageSize = Size, GeneratorChannels = 4, DiscriminatorChannels = 4, DiscriminatorPooling = 2 } })
            .Train(images, ToyEvaluator, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void GivenATrainedModel_WhenSavedAndLoaded_ThenGenerationIsBitIdentical_AndBadInputsAreNamed()
    {
        var (images, absorption) = GrfMaps(64, Size, seed: 3);
        using var method = new MdnInverseTrainer(Options(epochs: 1)).Train(images, absorption).Method;
        using var folder = new TempFolder();
        var path = folder.File("mdn-inverse.bin");
        method.Save(path);
        using var loaded = MdnInverseMethod.Load(path);
        using var generic = InverseDesignMethodFile.Load(path);
        var expected = Pixels(method.Generate(0.5, 7, seed: 1));
        Assert.Equal(expected, Pixels(loaded.Generate(0.5, 7, seed: 1)));
        Assert.Equal(expected, Pixels(generic.Generate(0.5, 7, seed: 1)));
        Assert.Equal(method.Options, loaded.Options);

        Assert.Contains("CodeDimension", Assert.ThrowsAny<ArgumentException>(() => new MdnInverseTrainer(Options() with { CodeDimension = 0 })).Message);
        Assert.Contains("LikelihoodWeight", Assert.ThrowsAny<ArgumentException>(() => new MdnInverseTrainer(Options() with { LikelihoodWeight = -1 })).Message);
        Assert.Contains("BatchSize", Assert.ThrowsAny<ArgumentException>(() => new MdnInverseTrainer(Options() with { BatchSize = 1 })).Message);
        var nan = (float[])absorption.Clone();
        nan[2] = float.NaN;
        Assert.Contains("absorption[2]", Assert.ThrowsAny<ArgumentException>(() => new MdnInverseTrainer(Options()).Train(images, nan)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => method.Generate(double.PositiveInfinity, 1, 0));
    }
}
