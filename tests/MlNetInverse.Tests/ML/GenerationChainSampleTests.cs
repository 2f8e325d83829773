using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Latents;
using MlNetInverse.ML.Mdn;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;
using DatasetFakes = MlNetInverse.Tests.Physics.Datasets.DatasetFakes;

namespace MlNetInverse.Tests.ML;

/// <summary>
/// The generation chain as a user writes it (quoted in the README): load a dataset, VQ-VAE, latents to Parquet, MDN,
/// decode; Fit once; keep the scoring part with <c>GetModelFor(TransformerScope.Scoring)</c>; save ONE zip; later load
/// it elsewhere and turn a table of target absorptions into designs. Tiny settings so it runs in seconds.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class GenerationChainSampleTests : IClassFixture<GenerationChainSampleTests.Fitted>
{
    private readonly Fitted _fitted;

    public GenerationChainSampleTests(Fitted fitted) => _fitted = fitted;

    /// <summary>The sample program: everything a user needs, top to bottom.</summary>
    public sealed class Fitted : IDisposable
    {
        public Fitted()
        {
            DatasetPath = TrainingDatasetFile.WriteTo(Folder.File("microstructures.parquet"));
            LatentsPath = Folder.File("latents.parquet");
            ModelPath = Folder.File("model.zip");

            // --- sample: train the generation chain and save one zip ---
            var mlContext = new MLContext(seed: 0);
            IDataView data = mlContext.Inverse().LoadMicrostructures(DatasetPath);   // Image, Absorption (+ the stack), ...

            var vqVae = mlContext.Inverse().VqVae(new VqVaeEstimatorOptions
            {
                Network = new VqVaeOptions { CodebookSize = 32, CodeDimension = 4, LatentGridSize = 8, HiddenChannels = 8 },
                Training = new VqVaeTrainingOptions { Epochs = 2, BatchSize = 16, LearningRate = 1e-2, Threads = 1 },
                SurrogateTraining = new AbsorptionSurrogateEstimatorOptions
                {
                    Network = new AbsorptionSurrogateOptions { BaseChannels = 2, HiddenUnits = 8 }, Training = new SurrogateTrainingOptions { Epochs = 2, BatchSize = 16 },
                },
            });
            var pipeline = new EstimatorChain<ITransformer>()
                .Append(vqVae, TransformerScope.TrainTest)                                            // encoder: training only
                .Append(mlContext.Inverse().ExtractLatents(LatentsPath), TransformerScope.TrainTest)  // writes the latent Parquet
                .Append(mlContext.Inverse().Mdn(new MdnEstimatorOptions                               // absorption -> latents
                {
                    Network = new MdnOptions { Components = 4, HiddenUnits = 16 }, Training = new MdnTrainingOptions { Epochs = 5, Threads = 1 }, SamplesPerTarget = 4,
                }))
#pragma warning disable CS0618 // the estimator-instance overload stays supported; this sample pins its behaviour
                .Append(mlContext.Inverse().DecodeMicrostructures(vqVae));                            // latents -> designs
#pragma warning restore CS0618
            Chain = pipeline.Fit(data);

            ITransformer generator = Chain.GetModelFor(TransformerScope.Scoring);                      // MDN + decoder only
            Targets = mlContext.Data.LoadFromEnumerable(new[] { new Target { Absorption = 0.25f }, new Target { Absorption = 0.95f } });
            mlContext.Model.Save(generator, Targets.Schema, ModelPath);
            // --- end of sample ---

            Generator = generator;
            Dataset = data;
        }

        internal TempFolder Folder { get; } = new();

        public string DatasetPath { get; }

        public string LatentsPath { get; }

        public string ModelPath { get; }

        public TransformerChain<MicrostructureDecodeTransformer> Chain { get; }

        public ITransformer Generator { get; }

        public IDataView Targets { get; }

        public IDataView Dataset { get; }

        public void Dispose() => Folder.Dispose();
    }

    [Fact]
    public void GivenTheSavedZip_WhenLoadedInAFreshContext_ThenTargetsBecomeBinarizedDesignsWithPredictedAbsorption()
    {
        // --- sample: later, elsewhere ---
        var mlContext = new MLContext();
        ITransformer model = mlContext.Model.Load(_fitted.ModelPath, out var inputSchema);
        var targets = mlContext.Data.LoadFromEnumerable(new[] { new Target { Absorption = 0.25f }, new Target { Absorption = 0.95f } });
        var designs = mlContext.Data.CreateEnumerable<Design>(model.Transform(targets), reuseRowObject: false).ToArray();
        // designs[i].GeneratedImages: 4 binarized 64x64 maps, designs[i].PredictedAbsorption: the surrogate's 4 values
        // --- end of sample ---

        Assert.Equal([MicrostructureColumns.Absorption], inputSchema.Select(c => c.Name));
        Assert.Equal(2, designs.Length);
        Assert.All(designs, d => Assert.Equal(4 * 64 * 64, d.GeneratedImages.Length));
        Assert.All(designs.SelectMany(d => d.GeneratedImages), p => Assert.True(p is 0f or 1f));
        Assert.All(designs, d => Assert.Equal(4, d.PredictedAbsorption.Length));
        Assert.Equal(InverseModelData.Bits(_fitted.Generator.Transform(_fitted.Targets), GenerationColumns.GeneratedImages),
            InverseModelData.Bits(model.Transform(targets), GenerationColumns.GeneratedImages));
    }

    [Fact]
    public void GivenTheScoringModel_WhenInspected_ThenItHoldsNoEncoderNorLatentStepAndNeedsNoImageColumn()
    {
        var loaded = new MLContext().Model.Load(_fitted.ModelPath, out _);

        Assert.Equal([typeof(MdnTransformer), typeof(MicrostructureDecodeTransformer)], ((IEnumerable<ITransformer>)loaded).Select(t => t.GetType()));
        Assert.Null(VqVaeTransformer.FindIn(loaded));
        Assert.NotNull(VqVaeTransformer.FindIn(_fitted.Chain));
        var schema = loaded.GetOutputSchema(_fitted.Targets.Schema);
        Assert.Null(schema.GetColumnOrNull(MicrostructureColumns.Image));
        Assert.Null(schema.GetColumnOrNull(MicrostructureColumns.Latent));
    }

    [Fact]
    public void GivenTheChain_WhenFitted_ThenTheLatentParquetHoldsEveryTrainingImage()
    {
        var latents = new MLContext().Inverse().LoadLatents(_fitted.LatentsPath);

        Assert.Equal(TrainingDatasetFile.Count, latents.GetRowCount());
        Assert.Equal(_fitted.Dataset.GetColumn<long>(MicrostructureColumns.Id), latents.GetColumn<long>(MicrostructureColumns.Id));
        Assert.Equal(_fitted.Dataset.GetColumn<float>(MicrostructureColumns.Absorption), latents.GetColumn<float>(MicrostructureColumns.Absorption));
        Assert.Equal(4 * 8 * 8, ((VectorDataViewType)latents.Schema[MicrostructureColumns.Latent].Type).Size);
    }

    [Fact]
    public void GivenTheZip_WhenItsMdnIsRead_ThenItKeepsTheDatasetsStackAndTrainingRangeAndFlagsExtrapolation()
    {
        var loaded = new MLContext().Model.Load(_fitted.ModelPath, out _);
        var mdn = MdnTransformer.FindIn(loaded)!;
        var labels = _fitted.Dataset.GetColumn<float>(MicrostructureColumns.Absorption).ToArray();

        Assert.Equal(OpticalStackFile.ToJson(DatasetFakes.Stack), OpticalStackFile.ToJson(mdn.Stack!));
        // The range is that of the MDN's training pairs (its held-out share excluded): inside the dataset's labels.
        Assert.InRange(mdn.TrainingAbsorptionMin, labels.Min() - 1e-6, labels.Average());
        Assert.InRange(mdn.TrainingAbsorptionMax, labels.Average(), labels.Max() + 1e-6);
        var inRange = loaded.Transform(_fitted.Targets).GetColumn<bool>(GenerationColumns.InTrainingRange).ToArray();
        Assert.Equal([mdn.IsInTrainingRange(0.25), false], inRange);
    }

    [Fact]
    public void GivenTheZip_WhenLoadedInAFreshProcess_ThenItGeneratesTheSameDesigns()
    {
        var input = _fitted.Folder.File("targets.parquet");
        new MLContext().Inverse().SaveAsParquet(_fitted.Targets, input);

        var child = FreshProcessModelRun.ColumnBits(_fitted.ModelPath, input, _fitted.Folder.File("bits.txt"), GenerationColumns.PredictedAbsorption);

        Assert.Equal(InverseModelData.Bits(_fitted.Generator.Transform(_fitted.Targets), GenerationColumns.PredictedAbsorption), child);
    }

    [Fact]
    public void GivenTheFittedChain_WhenTheMdnIsCalibratedThroughTheDecoder_ThenTheCalibrationSpansTheTrainingRange()
    {
        var mlContext = new MLContext();
        var mdn = MdnTransformer.FindIn(_fitted.Generator)!;
        var decoder = MicrostructureDecodeTransformer.FindIn(_fitted.Generator)!;

        using var calibrated = mlContext.Inverse().CalibrateMdn(mdn, decoder, new MdnCalibrationOptions { GridPoints = 5, DrawsPerPoint = 3 });
        var again = mlContext.Inverse().CalibrateMdn(mdn, decoder, new MdnCalibrationOptions { GridPoints = 5, DrawsPerPoint = 3 }).Calibration!;

        var table = calibrated.Calibration!;
        Assert.Equal(5, table.Conditions.Count);
        Assert.Equal((float)mdn.TrainingAbsorptionMin, (float)table.Conditions[0]);
        Assert.Equal((float)mdn.TrainingAbsorptionMax, (float)table.Conditions[^1]);
        Assert.All(table.Achieved.Zip(table.Achieved.Skip(1)), pair => Assert.True(pair.First <= pair.Second));
        Assert.Equal(table.Achieved, again.Achieved);
    }

    [Fact]
    public void GivenADecodeStepWhoseVqVaeWasNotFittedFirst_WhenFitted_ThenTheErrorSaysWhatToAppend()
    {
        var mlContext = new MLContext();
        var vqVae = mlContext.Inverse().VqVae(epochs: 1);
        var sampled = new MLContext().Model.Load(_fitted.ModelPath, out _).Transform(_fitted.Targets);

#pragma warning disable CS0618 // the obsolete overload's own error message is what is tested
        var error = Assert.Throws<InvalidOperationException>(() => mlContext.Inverse().DecodeMicrostructures(vqVae, inputColumnName: "GeneratedLatents").Fit(sampled));
#pragma warning restore CS0618

        Assert.Contains("has not been fitted: append it earlier in the same chain", error.Message);
    }

    public sealed class Target
    {
        public float Absorption { get; set; }
    }

    public sealed class Design
    {
        public float Absorption { get; set; }

        public float[] GeneratedImages { get; set; } = [];

        public float[] PredictedAbsorption { get; set; } = [];

        public bool InTrainingRange { get; set; }
    }
}
