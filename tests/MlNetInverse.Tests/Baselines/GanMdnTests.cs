using MlNetInverse.Baselines;
using MlNetInverse.Baselines.GanMdn;
using MlNetInverse.Baselines.Shared;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;
using static MlNetInverse.Tests.Baselines.BaselineTestData;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Baselines;

[Collection(TorchDeterminismCollection.Name)]
public sealed class GanMdnTests
{
    private const int Size = 16;

    private static GanOptions TinyGan(int epochs = 2) => new()
    {
        ImageSize = Size, LatentDimension = 8, GeneratorChannels = 8, DiscriminatorChannels = 4, DiscriminatorPooling = 2, Epochs = epochs, BatchSize = 32,
    };

    private static GanMdnOptions Options(int ganEpochs = 2, int mdnEpochs = 20) => new()
    {
        Gan = TinyGan(ganEpochs),
        LabelledSamples = 300,
        Mdn = TinyMdn,
        MdnTraining = QuickMdnTraining(mdnEpochs),
        Seed = 5,
        Threads = 1,
    };

    [Fact]
    public void GivenGrfMaps_WhenTheGanTrainsAFewSteps_ThenTheGeneratorMakesImagesOfTheRightShape_AndTheSameSeedGivesTheSameGenerator()
    {
        var (images, _) = GrfMaps(96, Size, seed: 1);
        var progress = new TrainingTestData.SynchronousProgress<GanEpochMetrics>();
        var (generator, history) = new GanTrainer(TinyGan()).Train(images, seed: 7, progress: progress);
        using var first = generator;
        using var second = new GanTrainer(TinyGan()).Train(images, seed: 7).Generator;
        using var other = new GanTrainer(TinyGan()).Train(images, seed: 8).Generator;

        Assert.Equal(2, history.Count);
        Assert.Equal(history, progress.Reports);
        Assert.All(history, m => { Assert.True(double.IsFinite(m.DiscriminatorLoss)); Assert.True(double.IsFinite(m.GeneratorLoss)); });
        Assert.Equal(ModelTestData.State(first), ModelTestData.State(second));
        Assert.NotEqual(ModelTestData.State(first), ModelTestData.State(other));
        using var noGrad = no_grad();
        using var output = first.call(linspace(-2, 2, 40).reshape(5, 8));
        Assert.Equal(new long[] { 5, 1, Size, Size }, output.shape);
        Assert.True(output.min().item<float>() >= 0 && output.max().item<float>() <= 1);
        Assert.Contains("[B, 8]", Assert.Throws<ArgumentException>(() => first.call(zeros(2, 3))).Message);
    }

    [Fact]
    public void GivenAGanMdnLabelledByAFunction_WhenGenerating_ThenItReturnsBinaryMapsAndTheMdnSawEveryLabel()
    {
        var (images, _) = GrfMaps(96, Size, seed: 2);
        var progress = new TrainingTestData.SynchronousProgress<BaselineTrainingProgress>();
        var result = new GanMdnTrainer(Options()).Train(images, ToyEvaluator, progress);
        using var method = result.Method;

        Assert.Equal(BaselineNames.GanMdn, method.Name);
        Assert.Equal(new[] { "gan", "labels", "mdn" }, progress.Reports.Select(r => r.Stage).Distinct());
        Assert.Equal(2, progress.Reports.Count(r => r.Stage == "gan"));
        Assert.Equal(2, progress.Reports.Count(r => r.Stage == "labels")); // 300 samples in batches of 256
        Assert.Equal(20, progress.Reports.Count(r => r.Stage == "mdn"));
        Assert.InRange(result.LabelMean, 0.3, 0.8); // the toy label of any map
        var maps = method.Generate(0.55, 12, seed: 3);
        Assert.Equal(12, maps.Count);
        Assert.All(maps, m => { Assert.Equal(Size, m.Size); Assert.True(m.IsBinary); });
    }

    [Fact]
    public void GivenATrainedGanMdn_WhenSavedAndLoaded_ThenGenerationIsBitIdentical()
    {
        var (images, _) = GrfMaps(64, Size, seed: 3);
        using var method = new GanMdnTrainer(Options(ganEpochs: 1, mdnEpochs: 2)).Train(images, ToyEvaluator).Method;
        using var folder = new TempFolder();
        var path = folder.File("gan-mdn.bin");
        method.Save(path);
        using var loaded = GanMdnMethod.Load(path);
        using var generic = InverseDesignMethodFile.Load(path);

        var expected = Pixels(method.Generate(0.6, 6, seed: 9));
        Assert.Equal(expected, Pixels(loaded.Generate(0.6, 6, seed: 9)));
        Assert.Equal(expected, Pixels(generic.Generate(0.6, 6, seed: 9)));
        Assert.Equal(method.Options, loaded.Options);
        Assert.Equal(ModelTestData.State(method.Generator), ModelTestData.State(loaded.Generator));
    }

    [Fact]
    public void GivenBadOptionsOrImages_WhenTraining_ThenErrorsNameTheProblem()
    {
        Assert.Contains("ImageSize", Assert.ThrowsAny<ArgumentException>(() => new GanTrainer(TinyGan() with { ImageSize = 24 })).Message);
        Assert.Contains("LatentDimension", Assert.ThrowsAny<ArgumentException>(() => new GanTrainer(TinyGan() with { LatentDimension = 0 })).Message);
        Assert.Contains("DiscriminatorPooling", Assert.ThrowsAny<ArgumentException>(() => new GanTrainer(TinyGan() with { DiscriminatorPooling = 4 })).Message);
        Assert.Contains("LatentRecoveryWeight", Assert.ThrowsAny<ArgumentException>(() => new GanTrainer(TinyGan() with { LatentRecoveryWeight = double.NaN })).Message);
        Assert.Contains("RealLabel", Assert.ThrowsAny<ArgumentException>(() => new GanTrainer(TinyGan() with { RealLabel = 0.3 })).Message);
        Assert.Contains("LabelledSamples", Assert.ThrowsAny<ArgumentException>(() => new GanMdnTrainer(Options() with { LabelledSamples = 1 })).Message);
        var (images, _) = GrfMaps(4, Size, seed: 1);
        Assert.Contains("images", Assert.ThrowsAny<ArgumentException>(() => new GanMdnTrainer(Options()).Train(images[..10], ToyEvaluator)).Message);
        Assert.Throws<ArgumentNullException>(() => new GanMdnTrainer(Options()).Train(images, null!));
    }
}
