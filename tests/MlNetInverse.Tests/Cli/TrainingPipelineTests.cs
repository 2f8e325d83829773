using MlNetInverse.Cli.Runtime;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Quantization;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Workflows.Pipelines;

namespace MlNetInverse.Tests.Cli;

public sealed class TrainingPipelineTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Root => RepositoryLocator.FindRoot([AppContext.BaseDirectory])!;

    private string Pipeline(string body) => _folder.Write("pipelines/p.json", "{ \"data\": \"../data/d.parquet\"" + body + " }");

    [Fact]
    public void GivenTheShippedPipelines_WhenLoaded_ThenQuickRunsOnTheCpuAndPaperHasThePapersSettings()
    {
        var quick = TrainingPipeline.Load(Path.Combine(Root, "pipelines", "quick.json"));
        var paper = TrainingPipeline.Load(Path.Combine(Root, "pipelines", "paper.json"));

        Assert.Equal(Path.Combine(Root, "data", "microstructures.parquet"), quick.Data);
        Assert.Equal(ComputeDevice.Cpu, quick.ComputeDevice);
        Assert.Equal(512, quick.Vqvae.CodeDim * quick.Vqvae.LatentGrid * quick.Vqvae.LatentGrid);
        Assert.Equal(VqVaeArchitecture.Periodic, quick.Vqvae.VqVaeArchitecture);
        Assert.Equal((80, 30), (quick.Mdn.Components, quick.Generation.Samples));
        Assert.Equal((1, 2), (quick.Threads, quick.ThreadsWhenIdle));
        Assert.Equal(ComputeDevice.Auto, paper.ComputeDevice);
        Assert.Equal((1500, 128, 3e-4), (paper.Vqvae.Epochs, paper.Vqvae.Batch, paper.Vqvae.LearningRate));
        Assert.Equal((0.1, 1.2, 1.2, QuantizerUpdate.CodebookLoss), (paper.Vqvae.Alpha, paper.Vqvae.Beta, paper.Vqvae.Theta, paper.Vqvae.QuantizerUpdate));
        Assert.Equal((40, 30), (paper.Mdn.Components, paper.Generation.Samples));
        Assert.Equal([0.55, 0.60, 0.65, 0.70, 0.75], paper.Generation.Targets);
    }

    [Fact]
    public void GivenASparsePipeline_WhenLoaded_ThenMissingSectionsTakeTheirDefaultsAndDataResolvesAgainstTheFile()
    {
        var pipeline = TrainingPipeline.Load(Pipeline(""));

        Assert.Equal(Path.Combine(_folder.Path, "data", "d.parquet"), pipeline.Data);
        Assert.Equal(new VqVaeSection(), pipeline.Vqvae);
        Assert.Equal(new MdnSection(), pipeline.Mdn);
        Assert.Equal(1, pipeline.Generation.Oversampling);
    }

    [Fact]
    public void GivenSectionsWithNoKeys_WhenMappedOntoTheModels_ThenEverySettingIsTheModelsOwnDefault()
    {
        var pipeline = TrainingPipeline.Load(Pipeline(""));

        // One declaration per default: a section key left out means what the model's options say, nothing else.
        Assert.Equal(new AbsorptionSurrogateOptions(), pipeline.Surrogate.NetworkOptions());
        Assert.Equal(new SurrogateTrainingOptions(), pipeline.Surrogate.TrainingOptions());
        Assert.Equal(new VqVaeOptions(), pipeline.Vqvae.NetworkOptions(new VqVaeOptions().ImageSize));
        Assert.Equal(new VqVaeTrainingOptions(), pipeline.Vqvae.TrainingOptions());
        Assert.Equal(new MdnOptions(), pipeline.Mdn.NetworkOptions());
        Assert.Equal(new MdnTrainingOptions(), pipeline.Mdn.TrainingOptions());
    }

    [Fact]
    public void GivenTheQuickPipeline_WhenMappedOntoTheModels_ThenEveryKeyReachesItsSetting()
    {
        var quick = TrainingPipeline.Load(Path.Combine(Root, "pipelines", "quick.json"));

        var vqVae = quick.Vqvae.NetworkOptions(64);
        var vqVaeRun = quick.Vqvae.TrainingOptions();
        Assert.Equal((512, 8, 8, 16, VqVaeArchitecture.Periodic, QuantizerUpdate.Ema, 0.25, 100),
            (vqVae.CodebookSize, vqVae.CodeDimension, vqVae.LatentGridSize, vqVae.HiddenChannels, vqVae.Architecture, vqVae.Update, vqVae.CommitmentCost, vqVae.DeadCodeThreshold));
        Assert.Equal((30, 64, 1e-3, 0.1, 0.0, 1.2, true),
            (vqVaeRun.Epochs, vqVaeRun.BatchSize, vqVaeRun.LearningRate, vqVaeRun.Alpha, vqVaeRun.Beta, vqVaeRun.Theta, vqVaeRun.FitVolumeFractionReadout));
        var surrogate = quick.Surrogate.NetworkOptions();
        var surrogateRun = quick.Surrogate.TrainingOptions();
        Assert.Equal((16, 64, 20), (surrogate.BaseChannels, surrogate.HiddenUnits, surrogate.SpectralShells));
        Assert.Equal((16, 64, 2e-3, 0.2), (surrogateRun.Epochs, surrogateRun.BatchSize, surrogateRun.LearningRate, surrogateRun.HeldOutFraction));
        var mdn = quick.Mdn.NetworkOptions();
        var mdnRun = quick.Mdn.TrainingOptions();
        Assert.Equal((80, 128, 2, 1e-3, true), (mdn.Components, mdn.HiddenUnits, mdn.HiddenLayers, mdn.SigmaFloor, mdn.CorrelatedNoise));
        Assert.Equal((40, 128, 1e-3, 0.1), (mdnRun.Epochs, mdnRun.BatchSize, mdnRun.LearningRate, mdnRun.HeldOutFraction));
        // Screened by one ranking over all draws, and conditioned on the target itself: a calibration would draw the ends'
        // designs from other labels.
        Assert.Equal((30, 4, 1, false), (quick.Generation.Samples, quick.Generation.Oversampling, quick.Generation.VolumeFractionStrata, quick.Generation.Calibrate));
    }

    [Theory]
    [InlineData(", \"vqvae\": { \"epocs\": 3 }", "unknown key 'vqvae.epocs'")]
    [InlineData(", \"colour\": \"red\"", "unknown key 'colour'")]
    [InlineData(", \"vqvae\": { \"epochs\": \"ten\" }", "invalid value at 'vqvae.epochs'")]
    [InlineData(", \"mdn\": { \"components\": 0 }", "'mdn.components' must be at least 1; got 0.")]
    [InlineData(", \"generation\": { \"targets\": [0.6, 1.5] }", "'generation.targets' holds 1.5")]
    [InlineData(", \"vqvae\": { \"latent_grid\": 6 }", "'vqvae.latent_grid' must be a power of two")]
    [InlineData(", \"vqvae\": { \"update\": \"sgd\" }", "'vqvae.update' is 'sgd'")]
    [InlineData(", \"device\": \"tpu\"", "'device' is 'tpu'")]
    [InlineData(", \"mdn\": { \"label\": \"rcwa\" }", "'mdn.label' is 'rcwa'; use dataset or decoded.")]
    [InlineData(", \"threads_when_idle\": -1", "'threads_when_idle' must be at least 0; got -1.")]
    [InlineData(", \"generation\": { \"volume_fraction_strata\": 0 }", "'generation.volume_fraction_strata' must be at least 1; got 0.")]
    [InlineData(", \"generation\": { \"screen_softness\": 1 }", "'generation.screen_softness' must be in [0, 1)")]
    [InlineData(", \"generation\": { \"screen_softness\": 0.1, \"volume_fraction_strata\": 2 }", "cannot be combined")]
    public void GivenABadPipeline_WhenLoaded_ThenTheErrorNamesTheKey(string body, string expected)
    {
        var error = Assert.Throws<FormatException>(() => TrainingPipeline.Load(Pipeline(body)));

        Assert.Contains(expected, error.Message);
        Assert.StartsWith("Pipeline file '", error.Message);
    }

    [Fact]
    public void GivenAPipelineWithoutData_WhenLoaded_ThenTheErrorSaysDataIsRequired()
    {
        var path = _folder.Write("p.json", "{ \"name\": \"x\" }");

        var error = Assert.Throws<FormatException>(() => TrainingPipeline.Load(path));

        Assert.Contains("'data' (the dataset .parquet, relative to the pipeline file) is required", error.Message);
    }

    [Theory]
    [InlineData(", \"mdn\": { \"epochs\": -1 }", "'mdn.epochs' must be at least 1; got -1.")]
    [InlineData(", \"colour\": \"red\"", "unknown key 'colour'")]
    [InlineData(", \"vqvae\": { \"epocs\": 3 }", "unknown key 'vqvae.epocs'")]
    [InlineData(", \"vqvae\": { \"epochs\": \"ten\" }", "invalid value at 'vqvae.epochs'")]
    [InlineData(", \"generation\": { \"targets\": 0.6 }", "invalid value at 'generation.targets'")]
    public void GivenABadPipeline_WhenTrainRuns_ThenOneLineNamesTheKeyAndNothingIsWritten(string body, string expected)
    {
        var path = Pipeline(body);
        var before = _folder.Snapshot();

        var run = CliRun.Of("train", "--pipeline", path, "--out", _folder.File("out"));

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith("error: Pipeline file '" + path + "': ", line);
        Assert.Contains(expected, line);
        Assert.Equal(before, _folder.Snapshot());
        Assert.False(Directory.Exists(_folder.File("out")));
    }

    [Fact]
    public void GivenAnOutFolderBelowAFile_WhenTrainRuns_ThenOneLineSaysItCannotBeCreatedAndNothingIsWritten()
    {
        var blocker = _folder.Write("blocker", "a file where a folder should be");
        var path = Pipeline("");
        var before = _folder.Snapshot();

        var run = CliRun.Of("train", "--pipeline", path, "--out", Path.Combine(blocker, "artifacts"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal([$"error: --out '{Path.Combine(blocker, "artifacts")}' cannot be created: '{blocker}' is not a folder."], run.StderrLines);
        Assert.Equal(before, _folder.Snapshot());
    }

    [Theory]
    [InlineData(", \"device\": \"cuda\"")]
    [InlineData("")]
    public void GivenCudaOnAMachineWithoutCuda_WhenTrainRuns_ThenOneLineSaysSoAndNothingIsWritten(string body)
    {
        if (TorchSharp.torch.cuda.is_available()) return; // only bad input where there is no CUDA
        var path = Pipeline(body);
        var before = _folder.Snapshot();

        var run = body.Length > 0
            ? CliRun.Of("train", "--pipeline", path, "--out", _folder.File("out"))
            : CliRun.Of("train", "--pipeline", path, "--out", _folder.File("out"), "--device", "cuda");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("CUDA was requested but torch.cuda.is_available() is false", Assert.Single(run.StderrLines));
        Assert.Equal(before, _folder.Snapshot());
        Assert.False(Directory.Exists(_folder.File("out")));
    }

    [Fact]
    public void GivenTheVqVaeReadoutKey_WhenLoaded_ThenFalseCutsAtHalfAndLeavingItOutKeepsTheDefaultAndTheFingerprint()
    {
        var off = TrainingPipeline.Load(Pipeline(", \"vqvae\": { \"volume_fraction_readout\": false }"));
        var leftOut = TrainingPipeline.Load(Pipeline(""));

        Assert.False(off.Vqvae.TrainingOptions().FitVolumeFractionReadout);
        Assert.True(leftOut.Vqvae.TrainingOptions().FitVolumeFractionReadout);
        // Recorded by the build before the key existed: a pipeline without it keeps reusing its VQ-VAE.
        Assert.Equal("f51f28f7d42cf091", TrainingPipeline.Fingerprint("vqvae", leftOut.Vqvae));
        Assert.NotEqual(TrainingPipeline.Fingerprint("vqvae", leftOut.Vqvae), TrainingPipeline.Fingerprint("vqvae", off.Vqvae));
    }

    [Fact]
    public void GivenTwoSettings_WhenFingerprinted_ThenEqualSettingsMatchAndAnyChangeDiffers()
    {
        var a = TrainingPipeline.Fingerprint("mdn", new MdnSection());
        var b = TrainingPipeline.Fingerprint("mdn", new MdnSection());
        var c = TrainingPipeline.Fingerprint("mdn", new MdnSection { Epochs = 201 });

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
