using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Mdn;
using MlNetInverse.ML.Schema;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;

namespace MlNetInverse.Tests.ML;

/// <summary>
/// The one generation estimator, <c>mlContext.Inverse().GenerateMicrostructures(options)</c>: with fitted pieces it
/// gives the hand-built chain's output; without them its Fit trains them; a missing piece fails in GetOutputSchema.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class GenerateMicrostructuresTests : IClassFixture<GenerateMicrostructuresTests.Trained>
{
    private static readonly float[] TargetValues = [0.3f, 0.55f, 0.8f];
    private readonly Trained _trained;

    public GenerateMicrostructuresTests(Trained trained) => _trained = trained;

    /// <summary>A tiny surrogate, VQ-VAE (with it) and MDN trained once through the separate estimators.</summary>
    public sealed class Trained : IDisposable
    {
        public Trained()
        {
            var data = InverseModelData.View(MlContext, 128);
            Surrogate = MlContext.Inverse().AbsorptionSurrogate(InverseModelData.TinySurrogate()).Fit(data);
            var vqVaeOptions = InverseModelData.TinyVqVae(epochs: 6); // past codebook collapse: designs differ
            // Carried as the VQ-VAE's surrogate; no absorption loss and a gentler rate keep 6 epochs far from divergence.
            vqVaeOptions.Surrogate = Surrogate;
            vqVaeOptions.Training = vqVaeOptions.Training with { Beta = 0, LearningRate = 5e-3 };
            VqVae = MlContext.Inverse().VqVae(vqVaeOptions).Fit(data);
            Mdn = MlContext.Inverse().Mdn(new MdnEstimatorOptions
            {
                Network = new MdnOptions { Components = 3, HiddenUnits = 16 },
                Training = new MdnTrainingOptions { Epochs = 5, BatchSize = 32, Seed = 2, Threads = 1 },
                SamplesPerTarget = 4, SamplingSeed = 9,
            }).Fit(VqVae.Transform(data));
        }

        public MLContext MlContext { get; } = new(seed: 0);

        internal TempFolder Folder { get; } = new();

        public AbsorptionSurrogateTransformer Surrogate { get; }

        public VqVaeTransformer VqVae { get; }

        public MdnTransformer Mdn { get; }

        public IDataView Targets(params float[] targets) =>
            MlContext.Data.LoadFromEnumerable(targets.Select(t => new Target { Absorption = t }).ToArray());

        public void Dispose()
        {
            Mdn.Dispose();
            VqVae.Dispose();
            Surrogate.Dispose();
            Folder.Dispose();
        }
    }

    private GenerateMicrostructuresOptions Fitted(int designs, int oversampling, MdnCalibrationOptions? calibration) => new()
    {
        VqVae = _trained.VqVae, Surrogate = _trained.Surrogate, Mdn = _trained.Mdn,
        SamplesPerTarget = designs, Oversampling = oversampling, SamplingSeed = 17, Calibration = calibration,
    };

    [Fact]
    public void GivenATinyTrainedChain_WhenGeneratedThroughGenerateMicrostructuresWithFittedTransformers_ThenImagesEqualTheHandBuiltChains()
    {
        var mlContext = _trained.MlContext;
        var targets = _trained.Targets(TargetValues);
        var calibration = new MdnCalibrationOptions { GridPoints = 4, DrawsPerPoint = 3, Seed = 1 };

        // The chain built by hand from the catalog's steps (as the training pipeline once did): 2 designs of 3 x 2 draws, calibrated, screened.
        using var drawing = _trained.Mdn.WithSampling(6, 17);
        var decoder = mlContext.Inverse().DecodeMicrostructures(_trained.VqVae, _trained.Surrogate).Fit(drawing.Transform(targets));
        var calibrated = mlContext.Inverse().CalibrateMdn(drawing, decoder, calibration);
        var selection = mlContext.Inverse().SelectClosestSamples(new SampleSelectionOptions { Keep = 2, LatentsColumnName = GenerationColumns.GeneratedLatents })
            .Fit(decoder.Transform(calibrated.Transform(targets)));
        var handBuilt = new TransformerChain<ITransformer>(calibrated, decoder, selection).Transform(targets);

        var generated = mlContext.Inverse().GenerateMicrostructures(Fitted(2, 3, calibration)).Fit(targets).Transform(targets);

        foreach (var column in new[] { GenerationColumns.GeneratedImages, GenerationColumns.PredictedAbsorption, GenerationColumns.GeneratedLatents })
            Assert.Equal(InverseModelData.Bits(handBuilt, column), InverseModelData.Bits(generated, column));
        Assert.Equal(handBuilt.GetColumn<bool>(GenerationColumns.InTrainingRange), generated.GetColumn<bool>(GenerationColumns.InTrainingRange));
        // Not trivially equal: the designs differ from draw to draw.
        var designs = generated.GetColumn<float[]>(GenerationColumns.GeneratedImages).SelectMany(row => row.Chunk(64 * 64)).ToArray();
        Assert.True(designs.Select(d => string.Concat(d.Select(p => p > 0.5f ? '1' : '0'))).Distinct().Count() > 1, "every generated design is the same image");
    }

    [Fact]
    public void GivenFittedTransformers_WhenGenerated_ThenColumnsSayWhatTheyHoldAndLatentsDecodeToTheKeptImages()
    {
        var targets = _trained.Targets(TargetValues);

        var model = _trained.MlContext.Inverse().GenerateMicrostructures(Fitted(2, 2, null)).Fit(targets);
        var output = model.Transform(targets);

        int l = VqVaeTransformer.LatentType(_trained.VqVae.Architecture).Size;
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 2, 64, 64), output.Schema[GenerationColumns.GeneratedImages].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 2, l), output.Schema[GenerationColumns.GeneratedLatents].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 2), output.Schema[GenerationColumns.PredictedAbsorption].Type);
        Assert.Equal([typeof(MdnTransformer), typeof(MicrostructureDecodeTransformer), typeof(SampleSelectionTransformer)], model.Select(t => t.GetType()));
        // The kept latents, decoded again into designs by the VQ-VAE (at the volume fraction its readout takes from
        // each), are the kept images: the two columns are aligned.
        var latents = output.GetColumn<float[]>(GenerationColumns.GeneratedLatents).SelectMany(row => row).ToArray();
        var o = _trained.VqVae.Architecture;
        using var vqVae = _trained.VqVae.CopyModel(ComputeDevice.Cpu);
        Assert.NotNull(vqVae.VolumeFractionReadout);
        using var noGrad = TorchSharp.torch.no_grad();
        using var latentGrid = TorchSharp.torch.tensor(latents, [latents.Length / l, o.CodeDimension, o.LatentGridSize, o.LatentGridSize]);
        using var redecoded = vqVae.DecodeDesigns(latentGrid);
        var images = output.GetColumn<float[]>(GenerationColumns.GeneratedImages).SelectMany(row => row).ToArray();
        Assert.Equal(images, redecoded.data<float>().ToArray());
    }

    [Fact]
    public void GivenBuiltInTransformsAroundIt_WhenFittedSavedAsOneZipAndLoaded_ThenTheLoadedModelGeneratesTheSameDesigns()
    {
        var mlContext = _trained.MlContext;
        var targets = mlContext.Data.LoadFromEnumerable(TargetValues.Select(t => new DoubleTarget { Wanted = t }).ToArray());
        var pipeline = mlContext.Transforms.Conversion.ConvertType(MicrostructureColumns.Absorption, nameof(DoubleTarget.Wanted), DataKind.Single)
            .Append(mlContext.Inverse().GenerateMicrostructures(Fitted(2, 1, null)))
            .Append(mlContext.Transforms.CopyColumns("Designs", GenerationColumns.GeneratedImages));
        var model = pipeline.Fit(targets);
        var path = _trained.Folder.File("generation.zip");

        mlContext.Model.Save(model, targets.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);

        Assert.Equal(InverseModelData.Bits(model.Transform(targets), "Designs"), InverseModelData.Bits(loaded.Transform(targets), "Designs"));
        Assert.Equal(InverseModelData.Bits(model.Transform(targets), GenerationColumns.PredictedAbsorption),
            InverseModelData.Bits(loaded.Transform(targets), GenerationColumns.PredictedAbsorption));
    }

    [Fact]
    public void GivenALoadedZipsDecoderAndMdn_WhenGeneratedWithOtherCountsAndSeed_ThenTheDesignsEqualTheChainMadeFromTheVqVaeAndSurrogate()
    {
        var mlContext = _trained.MlContext;
        var targets = _trained.Targets(TargetValues);
        var path = _trained.Folder.File("decoder-source.zip");
        using (var saved = mlContext.Inverse().GenerateMicrostructures(Fitted(2, 1, null)).Fit(targets))
            mlContext.Model.Save(saved, targets.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);
        var fromPieces = Fitted(3, 2, null);
        fromPieces.SamplingSeed = 23;

        using var fromZip = mlContext.Inverse().GenerateMicrostructures(new GenerateMicrostructuresOptions
        {
            Decoder = MicrostructureDecodeTransformer.FindIn(loaded), Mdn = MdnTransformer.FindIn(loaded), SamplesPerTarget = 3, Oversampling = 2, SamplingSeed = 23,
        }).Fit(targets);
        using var expected = mlContext.Inverse().GenerateMicrostructures(fromPieces).Fit(targets);

        Assert.Equal(expected.Select(t => t.GetType()), fromZip.Select(t => t.GetType()));
        Assert.Equal(6, MdnTransformer.FindIn(fromZip)!.SamplesPerTarget);
        foreach (var column in new[] { GenerationColumns.GeneratedImages, GenerationColumns.PredictedAbsorption, GenerationColumns.GeneratedLatents })
            Assert.Equal(InverseModelData.Bits(expected.Transform(targets), column), InverseModelData.Bits(fromZip.Transform(targets), column));
    }

    [Fact]
    public void GivenADecoderWithAVqVaeOrWithoutAnMdn_WhenTheEstimatorIsMade_ThenTheErrorSaysWhichPieceToSet()
    {
        using var decoder = _trained.MlContext.Inverse().DecodeMicrostructures(_trained.VqVae, _trained.Surrogate).Fit(_trained.Mdn.Transform(_trained.Targets(0.5f)));

        var both = Assert.Throws<ArgumentException>(() =>
            _trained.MlContext.Inverse().GenerateMicrostructures(new GenerateMicrostructuresOptions { Decoder = decoder, VqVae = _trained.VqVae, Mdn = _trained.Mdn }));
        var noMdn = Assert.Throws<InvalidOperationException>(() =>
            _trained.MlContext.Inverse().GenerateMicrostructures(new GenerateMicrostructuresOptions { Decoder = decoder }).Fit(_trained.Targets(0.5f)));

        Assert.Contains("Decoder replaces VqVae and Surrogate", both.Message);
        Assert.Contains("GenerateMicrostructuresOptions.Mdn", noMdn.Message);
    }

    [Fact]
    public void GivenNoSurrogateAndNoTrainingImages_WhenTheOutputSchemaIsAsked_ThenTheErrorNamesTheMissingSurrogateBeforeAnythingTrains()
    {
        var mlContext = new MLContext(seed: 0);
        using var bareVqVae = new VqVaeTransformer(mlContext, new VqVaeModel(new VqVaeOptions { ImageSize = 64, CodebookSize = 32, CodeDimension = 4, LatentGridSize = 16, HiddenChannels = 8 }, seed: 1),
            MicrostructureColumns.Latent, MicrostructureColumns.CodeIndices, null, MicrostructureColumns.Image, ComputeDevice.Cpu, trainingSummary: null);
        var estimator = mlContext.Inverse().GenerateMicrostructures(new GenerateMicrostructuresOptions { VqVae = bareVqVae, Mdn = _trained.Mdn });
        var targets = _trained.Targets(0.5f);

        var error = Assert.Throws<InvalidOperationException>(() => estimator.GetOutputSchema(InputColumnCheck.ShapeOf(targets.Schema)));
        var fitError = Assert.Throws<InvalidOperationException>(() => estimator.Fit(targets));

        Assert.Contains("needs an absorption surrogate", error.Message);
        Assert.Contains("no 'Image' column", error.Message);
        Assert.Equal(error.Message, fitError.Message);
    }

    [Fact]
    public void GivenNoTargetColumn_WhenTheOutputSchemaIsAsked_ThenTheErrorNamesIt()
    {
        var estimator = _trained.MlContext.Inverse().GenerateMicrostructures(Fitted(2, 1, null));
        var data = _trained.MlContext.Data.LoadFromEnumerable(new[] { new DoubleTarget { Wanted = 0.5 } });

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(InputColumnCheck.ShapeOf(data.Schema)));

        Assert.Contains("'Absorption'", error.Message);
    }

    [Fact]
    public void GivenOnlyTrainingData_WhenFitted_ThenItTrainsEveryPieceWritesTheLatentFileAndReturnsTheScoringChain()
    {
        var mlContext = new MLContext(seed: 0);
        var data = InverseModelData.View(mlContext, 48);
        var latentsPath = _trained.Folder.File("latents.parquet");
        var options = new GenerateMicrostructuresOptions
        {
            SurrogateTraining = InverseModelData.TinySurrogate(epochs: 1),
            VqVaeTraining = InverseModelData.TinyVqVae(epochs: 1),
            MdnTraining = new MdnEstimatorOptions
            {
                Network = new MdnOptions { Components = 2, HiddenUnits = 8 }, Training = new MdnTrainingOptions { Epochs = 2, BatchSize = 32, Threads = 1 },
            },
            LatentsPath = latentsPath, SamplesPerTarget = 3,
        };

        var model = mlContext.Inverse().GenerateMicrostructures(options).Fit(data);
        var output = model.Transform(_trained.Targets(TargetValues));

        Assert.Equal([typeof(MdnTransformer), typeof(MicrostructureDecodeTransformer)], model.Select(t => t.GetType()));
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3, 64, 64), output.Schema[GenerationColumns.GeneratedImages].Type);
        Assert.All(output.GetColumn<float[]>(GenerationColumns.GeneratedImages).SelectMany(v => v), p => Assert.True(p is 0f or 1f));
        Assert.Equal(48, mlContext.Inverse().LoadLatents(latentsPath).GetRowCount());
        Assert.Null(options.VqVaeTraining.Surrogate); // the caller's options object is left as given
    }

    private IDataView LatentRows(IEnumerable<float[]> latents, int l)
    {
        var schema = SchemaDefinition.Create(typeof(LatentRow));
        schema[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, l);
        return _trained.MlContext.Data.LoadFromEnumerable(latents.Select(v => new LatentRow { Latent = v }).ToArray(), schema);
    }

    public sealed class Target
    {
        public float Absorption { get; set; }
    }

    private sealed class DoubleTarget
    {
        public double Wanted { get; set; }
    }

    private sealed class LatentRow
    {
        public float[] Latent { get; set; } = [];
    }
}
