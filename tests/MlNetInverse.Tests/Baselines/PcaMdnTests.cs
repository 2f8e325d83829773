using MlNetInverse.Baselines;
using MlNetInverse.Baselines.PcaMdn;
using MlNetInverse.Baselines.Shared;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;
using static MlNetInverse.Tests.Baselines.BaselineTestData;

namespace MlNetInverse.Tests.Baselines;

[Collection(TorchDeterminismCollection.Name)]
public sealed class PcaMdnTests
{
    private const int Size = 16;

    private static PcaMdnOptions Options(int epochs = 80) => new()
    {
        ImageSize = Size,
        Components = 12,
        Mdn = TinyMdn,
        MdnTraining = QuickMdnTraining(epochs),
        Seed = 3,
        Threads = 1,
    };

    [Fact]
    public void GivenGrfMaps_WhenMoreComponentsAreKept_ThenTheReconstructionErrorFalls_AndTheBasisIsOrthonormal()
    {
        var (images, _) = GrfMaps(300, Size, seed: 1);
        using var basis = PrincipalComponentBasis.Fit(images, Size * Size, components: 64);

        var errors = new[] { 0, 1, 4, 16, 64 }.Select(k => basis.ReconstructionError(images, k)).ToArray();
        for (int i = 1; i < errors.Length; i++) Assert.True(errors[i] < errors[i - 1], $"error with more components must fall: {string.Join(", ", errors)}");
        Assert.True(errors[^1] < 0.5 * errors[0], $"64 of 256 components should hold most of the variance: {string.Join(", ", errors)}");

        var variance = basis.ExplainedVariance;
        for (int i = 1; i < variance.Length; i++) Assert.True(variance[i] <= variance[i - 1] * (1 + 1e-5));
        // Kept + residual = total pixel variance: the k = 0 error is the total variance per pixel.
        Assert.Equal(errors[0], variance.Sum() / (Size * Size) + errors[^1], 4);

        using var coefficients = basis.Project(TorchSharp.torch.tensor(images, [300, Size * Size]));
        using var gram = coefficients.t().matmul(coefficients).div(300).diagonal().cpu();
        Assert.Equal(variance[0], gram.data<float>()[0], 3);
    }

    [Fact]
    public void GivenAbsorptionThatFollowsVolumeFraction_WhenPcaMdnGenerates_ThenBinaryMapsTrackTheTargetsVolumeFraction()
    {
        var (images, absorption) = GrfMaps(600, Size, seed: 2);
        var progress = new TrainingTestData.SynchronousProgress<BaselineTrainingProgress>();
        var result = new PcaMdnTrainer(Options()).Train(images, absorption, progress);
        using var method = result.Method;

        Assert.Equal(BaselineNames.PcaMdn, method.Name);
        Assert.Equal("pca", progress.Reports[0].Stage);
        Assert.Equal(80, progress.Reports.Count(r => r.Stage == "mdn"));
        Assert.InRange(result.ExplainedVarianceFraction, 0.3, 1.0);
        double previous = double.NegativeInfinity;
        foreach (double target in new[] { 0.4, 0.55, 0.7 })
        {
            var maps = method.Generate(target, 30, seed: 11);
            Assert.Equal(30, maps.Count);
            Assert.All(maps, m => { Assert.Equal(Size, m.Size); Assert.True(m.IsBinary); });
            double meanFraction = maps.Average(m => m.VolumeFraction);
            Assert.InRange(meanFraction, VolumeFractionFor(target) - 0.1, VolumeFractionFor(target) + 0.1);
            Assert.True(meanFraction > previous, $"volume fraction must rise with the target (got {meanFraction} after {previous})");
            previous = meanFraction;
        }
    }

    [Fact]
    public void GivenATrainedPcaMdn_WhenSavedAndLoaded_ThenGenerationIsBitIdentical_AndSeedsMatter()
    {
        var (images, absorption) = GrfMaps(200, Size, seed: 4);
        using var method = new PcaMdnTrainer(Options(epochs: 5)).Train(images, absorption).Method;
        using var folder = new TempFolder();
        var path = folder.File("pca-mdn.bin");
        method.Save(path);

        using var loaded = PcaMdnMethod.Load(path);
        using var generic = InverseDesignMethodFile.Load(path);
        var expected = Pixels(method.Generate(0.6, 8, seed: 5));
        Assert.Equal(expected, Pixels(loaded.Generate(0.6, 8, seed: 5)));
        Assert.Equal(expected, Pixels(generic.Generate(0.6, 8, seed: 5)));
        Assert.Equal(expected, Pixels(method.Generate(0.6, 8, seed: 5)));
        Assert.NotEqual(expected, Pixels(method.Generate(0.6, 8, seed: 6)));
        Assert.Equal(method.Options, loaded.Options);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void GivenACancellationAfterTheFirstMdnEpoch_WhenTraining_ThenTrainingStops_AndCudaOnACpuBuildIsAClearError()
    {
        var (images, absorption) = GrfMaps(100, Size, seed: 5);
        using var cancellation = new CancellationTokenSource();
        var progress = new TrainingTestData.SynchronousProgress<BaselineTrainingProgress>(p => { if (p.Stage == "mdn") cancellation.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => new PcaMdnTrainer(Options()).Train(images, absorption, progress, cancellation.Token));
        Assert.Single(progress.Reports, r => r.Stage == "mdn");

        if (!TorchSharp.torch.cuda.is_available())
            Assert.Contains("CUDA", Assert.Throws<InvalidOperationException>(() =>
                new PcaMdnTrainer(Options() with { Device = MlNetInverse.Models.Devices.ComputeDevice.Cuda }).Train(images, absorption)).Message);
        using var auto = new PcaMdnTrainer(Options(epochs: 1) with { Device = MlNetInverse.Models.Devices.ComputeDevice.Auto }).Train(images, absorption).Method;
        Assert.Equal(30, auto.Generate(0.5, 30, 1).Count);
    }

    [Fact]
    public void GivenBadInputs_WhenTrainingOrGenerating_ThenErrorsNameTheProblem()
    {
        Assert.Contains("Components", Assert.ThrowsAny<ArgumentException>(() => new PcaMdnTrainer(Options() with { Components = 0 })).Message);
        Assert.Contains("ImageSize", Assert.ThrowsAny<ArgumentException>(() => new PcaMdnTrainer(Options() with { ImageSize = 1 })).Message);
        var trainer = new PcaMdnTrainer(Options(epochs: 1));
        var (images, absorption) = GrfMaps(20, Size, seed: 1);
        Assert.Contains("images", Assert.ThrowsAny<ArgumentException>(() => trainer.Train(images[..100], absorption)).Message);
        Assert.Contains("one label per image", Assert.ThrowsAny<ArgumentException>(() => trainer.Train(images, absorption[..5])).Message);
        Assert.Contains("at least that many images", Assert.ThrowsAny<ArgumentException>(() => trainer.Train(images[..(8 * Size * Size)], absorption[..8])).Message);
        var bad = (float[])images.Clone();
        bad[7] = 2f;
        Assert.Contains("pixel 7 is 2", Assert.ThrowsAny<ArgumentException>(() => trainer.Train(bad, absorption)).Message);

        using var method = trainer.Train(images, absorption).Method;
        Assert.Contains("target absorption", Assert.Throws<ArgumentOutOfRangeException>(() => method.Generate(double.NaN, 3, 1)).Message);
        Assert.Contains("target absorption", Assert.Throws<ArgumentOutOfRangeException>(() => method.Generate(0, 3, 1)).Message);
        Assert.Contains("count = 0", Assert.Throws<ArgumentOutOfRangeException>(() => method.Generate(0.6, 0, 1)).Message);

        using var folder = new TempFolder();
        Assert.Throws<FileNotFoundException>(() => PcaMdnMethod.Load(folder.File("missing.bin")));
        var notAModel = folder.Write("junk.bin", "hello");
        Assert.Throws<InvalidDataException>(() => PcaMdnMethod.Load(notAModel));
        Assert.Throws<InvalidDataException>(() => InverseDesignMethodFile.Load(notAModel));
        var mdnOnly = folder.File("mdn.bin");
        method.Mdn.Save(mdnOnly);
        Assert.Contains("MixtureDensityNetwork", Assert.Throws<InvalidDataException>(() => PcaMdnMethod.Load(mdnOnly)).Message);
        Assert.Contains("not an inverse-design method", Assert.Throws<InvalidDataException>(() => InverseDesignMethodFile.Load(mdnOnly)).Message);
    }
}
