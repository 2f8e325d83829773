using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.CodePrior;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Mdn;
using MlNetInverse.Models.CodePrior;
using MlNetInverse.Models.Devices;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;
using MlNetInverse.Workflows.Generation;

namespace MlNetInverse.Tests.ML;

/// <summary>
/// A masked code prior as the generation chain's sampler (<see cref="CodePriorTransformer"/>): it saves inside the one
/// model zip and loads with mlContext.Model.Load, draws only the codebook's own vectors, keeps draw n the same however
/// the draws are taken, and is refused next to a decoder whose codebook it did not learn.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class CodePriorChainTests
{
    private static readonly CodePriorOptions Architecture = new()
    {
        CodebookSize = TinyGenerator.VqVaeOptions.CodebookSize, GridSize = TinyGenerator.VqVaeOptions.LatentGridSize, Width = 8, Layers = 1, Heads = 2,
    };

    [Fact]
    public void GivenAChainWithACodePrior_WhenSavedAndLoaded_ThenItDrawsTheSameDesigns_FromTheCodebooksOwnVectors()
    {
        using var generator = TinyGenerator.Create();
        using var prior = TinyPrior();
        var model = GenerationModel.Of(generator.MlContext, generator.Chain(6, 2), "tiny").WithCodePrior(prior, rounds: 3);
        using var folder = new TempFolder();

        string path = generator.Save(model.Model, folder.File("prior.zip"));
        var loaded = GenerationModel.Load(generator.MlContext, path);

        Assert.Null(loaded.Mdn);
        Assert.NotNull(loaded.CodePrior);
        Assert.Equal(3, loaded.CodePrior!.Rounds);
        Assert.Equal(12, loaded.Sampler.SamplesPerTarget);
        Assert.Equal(6, loaded.DesignsPerTarget);
        var before = model.Generate([0.5, 0.7]);
        var after = loaded.Generate([0.5, 0.7]);
        for (int t = 0; t < 2; t++)
        {
            Assert.Equal(before[t].Images.SelectMany(i => i), after[t].Images.SelectMany(i => i));
            Assert.Equal(before[t].PredictedAbsorption, after[t].PredictedAbsorption);
        }
        Assert.True(before[0].Images.Select(Key).Distinct().Count() > 1, "every design is the same map");
        // Every latent the prior writes is one of the codebook's vectors at every cell: nothing for the decoder to snap.
        var codebook = generator.Decoder.VqVae.Quantizer.Codebook.contiguous().data<float>().ToArray();
        var latents = LatentsOf(loaded.Model, generator.Targets(0.6f), loaded.Sampler.OutputColumnName);
        int d = TinyGenerator.VqVaeOptions.CodeDimension, cells = Architecture.Cells;
        for (int n = 0; n < latents.Length / (d * cells); n++)
            for (int cell = 0; cell < cells; cell++)
            {
                var vector = Enumerable.Range(0, d).Select(c => latents[n * d * cells + c * cells + cell]).ToArray();
                Assert.Contains(Enumerable.Range(0, Architecture.CodebookSize), k => codebook.AsSpan(k * d, d).SequenceEqual(vector));
            }
    }

    [Fact]
    public void GivenACodePriorChain_WhenMoreDrawsAreAskedFor_ThenTheFirstDrawsStayTheSame_AndAnotherSeedChangesThem()
    {
        using var generator = TinyGenerator.Create();
        using var prior = TinyPrior();
        var model = GenerationModel.Of(generator.MlContext, generator.Chain(4, 1), "tiny").WithCodePrior(prior, rounds: 3);

        var four = LatentsOf(model.Model, generator.Targets(0.6f), model.Sampler.OutputColumnName);
        var eight = LatentsOf(model.With(8, model.Sampler.SamplingSeed).Model, generator.Targets(0.6f), model.Sampler.OutputColumnName);
        var reseeded = LatentsOf(model.With(4, 99).Model, generator.Targets(0.6f), model.Sampler.OutputColumnName);

        Assert.Equal(four, eight[..four.Length]);
        Assert.NotEqual(four, reseeded);
    }

    [Theory]
    [InlineData(300, 1)]
    [InlineData(100, 3)]
    public void GivenACodePriorChain_WhenGeneratedInChunks_ThenTheDesignsEqualTheChainsBitForBit(int designs, int oversampling)
    {
        using var generator = TinyGenerator.Create();
        using var prior = TinyPrior();
        var model = GenerationModel.Of(generator.MlContext, generator.Chain(designs, oversampling), "tiny").WithCodePrior(prior, rounds: 2, oversampling: oversampling);
        var expected = model.Generate([0.55])[0];
        var chunked = model.Chunked(MicrostructureDecodeTransformer.DecodeBlock);

        var images = new List<float>();
        var predictions = new List<float>();
        foreach (var chunk in chunked.Generate(0.55f))
        {
            images.AddRange(chunk.Images);
            predictions.AddRange(chunk.Predictions);
        }

        Assert.True(designs * oversampling > MicrostructureDecodeTransformer.DecodeBlock, "the run must take several chunks");
        Assert.Equal(expected.Images.SelectMany(i => i), images);
        Assert.Equal(expected.PredictedAbsorption, predictions);
    }

    [Fact]
    public void GivenAScreenedAndAnUnscreenedChain_WhenAPriorTakesTheirPlace_ThenTheScreenKeepsEqualSharesOfThreeVolumeStrata_AndNoScreenStaysNone()
    {
        using var generator = TinyGenerator.Create();
        using var prior = TinyPrior();

        var screened = GenerationModel.Of(generator.MlContext, generator.Chain(6, 4), "tiny").WithCodePrior(prior, rounds: 2);
        var told = GenerationModel.Of(generator.MlContext, generator.Chain(6, 4), "tiny").WithCodePrior(prior, rounds: 2, oversampling: 3, volumeFractionStrata: 1);
        var unscreened = GenerationModel.Of(generator.MlContext, generator.Chain(6, 1), "tiny").WithCodePrior(prior, rounds: 2);

        Assert.Equal((6, 4, 24, GenerationModel.CodePriorVolumeFractionStrata),
            (screened.DesignsPerTarget, screened.Oversampling, screened.Sampler.SamplesPerTarget, screened.ScreenVolumeFractionStrata));
        Assert.Equal((6, 3, 18, 1), (told.DesignsPerTarget, told.Oversampling, told.Sampler.SamplesPerTarget, told.ScreenVolumeFractionStrata));
        Assert.Null(unscreened.Selection);
        Assert.Equal((6, 6), (unscreened.DesignsPerTarget, unscreened.Sampler.SamplesPerTarget));
        // Two of each third of the 24 draws by volume fraction (ties may add more at a cut): the kept designs span them.
        var all = screened.Unscreened(24, screened.Sampler.SamplingSeed).Generate([0.6])[0].Maps().Select(m => m.VolumeFraction).Order().ToArray();
        var kept = screened.Generate([0.6])[0].Maps().Select(m => m.VolumeFraction).ToArray();
        Assert.Equal(6, kept.Length);
        Assert.InRange(kept.Count(v => v <= all[7]), 2, 6);
        Assert.InRange(kept.Count(v => v >= all[16]), 2, 6);
        Assert.Equal("oversampling", Assert.Throws<ArgumentOutOfRangeException>(() => screened.WithSampler(screened.Sampler, oversampling: 0)).ParamName);
        Assert.Equal("volumeFractionStrata", Assert.Throws<ArgumentOutOfRangeException>(() => screened.WithSampler(screened.Sampler, volumeFractionStrata: 0)).ParamName);
    }

    [Fact]
    public void GivenAPriorOfAnotherCodebook_WhenChainedWithTheDecoder_ThenTheErrorSaysToTrainThePriorOnThisModel()
    {
        using var generator = TinyGenerator.Create();
        var o = TinyGenerator.VqVaeOptions;
        var foreign = new float[o.CodebookSize * o.CodeDimension]; // same shape, other codes
        using var sampler = new CodePriorTransformer(generator.MlContext, TinyPrior(), foreign, o.CodeDimension, 2, "GeneratedLatents", TinyGenerator.TargetColumn,
            "InTrainingRange", 4, 7, ComputeDevice.Cpu, stack: null);

        var error = Assert.Throws<ArgumentException>(() => generator.MlContext.Inverse().GenerateMicrostructures(
            new GenerateMicrostructuresOptions { CodePrior = sampler, Decoder = generator.Decoder, TargetColumnName = TinyGenerator.TargetColumn }));

        Assert.Contains("another VQ-VAE's codebook", error.Message);
        Assert.Contains("train the prior on this model", error.Message);
    }

    [Fact]
    public void GivenACodePriorWithAnMdnOrACalibration_WhenTheGenerationEstimatorIsMade_ThenEachIsRefusedByName()
    {
        using var generator = TinyGenerator.Create();
        using var prior = TinyPrior();
        using var sampler = CodePriorTransformer.For(generator.MlContext, prior, generator.Decoder, generator.Mdn);

        var both = Assert.Throws<ArgumentException>(() => generator.MlContext.Inverse().GenerateMicrostructures(
            new GenerateMicrostructuresOptions { CodePrior = sampler, Mdn = generator.Mdn, Decoder = generator.Decoder }));
        var calibrated = Assert.Throws<ArgumentException>(() => generator.MlContext.Inverse().GenerateMicrostructures(
            new GenerateMicrostructuresOptions { CodePrior = sampler, Decoder = generator.Decoder, Calibration = new MdnCalibrationOptions() }));

        Assert.Contains("CodePrior and Mdn are both set", both.Message);
        Assert.Contains("a code prior draws codes and takes none", calibrated.Message);
    }

    [Fact]
    public void GivenACodePriorModel_WhenAskedForThePapersSampling_ThenTheErrorSaysItNeedsAnMdn()
    {
        using var generator = TinyGenerator.Create();
        using var prior = TinyPrior();
        var model = GenerationModel.Of(generator.MlContext, generator.Chain(4, 1), "tiny").WithCodePrior(prior, rounds: 2);

        var error = Assert.Throws<InvalidOperationException>(() => model.AsPublished(4, 1));

        Assert.Contains("needs an MDN", error.Message);
    }

    [Fact]
    public void GivenCodeGridsAndLabels_WhenTheCodePriorEstimatorFits_ThenItsTransformerChainsAndSavesWithItsHeldOutResult()
    {
        using var generator = TinyGenerator.Create();
        var rows = ToyRows(64);
        var estimator = generator.MlContext.Inverse().CodePrior(new CodePriorEstimatorOptions
        {
            Decoder = generator.Decoder, Network = new CodePriorOptions { Width = 8, Layers = 1, Heads = 2 },
            Training = new CodePriorTrainingOptions { Steps = 30, BatchSize = 8, Threads = 1 }, SamplesPerTarget = 3, Rounds = 2,
        });

        using var fitted = estimator.Fit(generator.MlContext.Data.LoadFromEnumerable(rows));
        var chain = generator.MlContext.Inverse().GenerateMicrostructures(new GenerateMicrostructuresOptions
        {
            CodePrior = fitted, Decoder = generator.Decoder, TargetColumnName = TinyGenerator.TargetColumn,
        }).Fit(generator.Targets(0.5f));
        using var folder = new TempFolder();
        var loaded = CodePriorTransformer.FindIn(generator.MlContext.Model.Load(generator.Save(chain, folder.File("fitted.zip")), out _))!;

        Assert.Equal(6, fitted.HeldOut!.Grids);   // the trainer's seeded tenth of 64 grids
        Assert.True(fitted.HeldOut.CrossEntropy < fitted.HeldOut.Uniform, $"held-out {fitted.HeldOut.CrossEntropy:F3} against uniform {fitted.HeldOut.Uniform:F3}");
        Assert.Equal(fitted.HeldOut, loaded.HeldOut);
        // The range is the training grids' (the held-out ones left out), kept through the zip.
        Assert.Equal(fitted.TrainingAbsorptionMin, loaded.TrainingAbsorptionMin);
        Assert.Equal(fitted.TrainingAbsorptionMax, loaded.TrainingAbsorptionMax);
        Assert.InRange(loaded.TrainingAbsorptionMin, 0.29999, 0.32);
        Assert.InRange(loaded.TrainingAbsorptionMax, 0.68, 0.70001);
        Assert.Equal(3, loaded.SamplesPerTarget);
    }

    [Theory]
    [InlineData("code", "Row 5 of column 'CodeIndices' holds code 16; the VQ-VAE's codebook has codes 0-15")]
    [InlineData("grid", "holds 9 codes per row, but the VQ-VAE's grid has 16 cells")]
    public void GivenCodesThatAreNotTheVqVaes_WhenTheCodePriorEstimatorFits_ThenTheErrorNamesThem(string fault, string expected)
    {
        using var generator = TinyGenerator.Create();
        var estimator = generator.MlContext.Inverse().CodePrior(new CodePriorEstimatorOptions
        {
            Decoder = generator.Decoder, Network = new CodePriorOptions { Width = 8, Layers = 1, Heads = 2 }, Training = new CodePriorTrainingOptions { Steps = 2, BatchSize = 4 },
        });
        IDataView data;
        if (fault == "code")
        {
            var rows = ToyRows(8);
            rows[5].CodeIndices[3] = 16;
            data = generator.MlContext.Data.LoadFromEnumerable(rows);
        }
        else data = generator.MlContext.Data.LoadFromEnumerable(Enumerable.Range(0, 8).Select(i => new SmallGridRow { Absorption = 0.5f, CodeIndices = new int[9] }));

        var error = Assert.Throws<ArgumentException>(() => estimator.Fit(data));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void GivenNoVqVae_WhenTheCodePriorEstimatorIsMade_ThenTheErrorSaysWhichCodesItNeeds()
    {
        var error = Assert.Throws<ArgumentException>(() => new MLContext().Inverse().CodePrior(new CodePriorEstimatorOptions()));

        Assert.Contains("set VqVae or Decoder", error.Message);
    }

    /// <summary>Rows whose grid is a checkerboard of two codes below 0.5 and stripes of two others above, labels 0.3-0.7.</summary>
    private static ToyRow[] ToyRows(int count) => Enumerable.Range(0, count).Select(i =>
    {
        float label = 0.3f + 0.4f * i / (count - 1);
        var grid = Enumerable.Range(0, 16).Select(c => label < 0.5f ? ((c / 4 + c % 4) % 2 == 0 ? 1 : 2) : (c / 4 % 2 == 0 ? 5 : 9)).ToArray();
        return new ToyRow { Absorption = label, CodeIndices = grid };
    }).ToArray();

    private sealed class ToyRow
    {
        public float Absorption { get; set; }

        [VectorType(16)]
        public int[] CodeIndices { get; set; } = [];
    }

    private sealed class SmallGridRow
    {
        public float Absorption { get; set; }

        [VectorType(9)]
        public int[] CodeIndices { get; set; } = [];
    }

    /// <summary>A prior of seeded random weights over the tiny generator's codes, its labels scaled like the MDN's (range 0.3-0.8).</summary>
    private static MaskedCodePrior TinyPrior()
    {
        var prior = new MaskedCodePrior(Architecture, seed: 5);
        prior.SetLabelScale(0.55, 0.1, 0.3, 0.8);
        return prior;
    }

    private static float[] LatentsOf(ITransformer model, IDataView targets, string column)
    {
        var output = model.Transform(targets);
        using var cursor = output.GetRowCursor([output.Schema[column]]);
        var getter = cursor.GetGetter<VBuffer<float>>(output.Schema[column]);
        VBuffer<float> value = default;
        Assert.True(cursor.MoveNext());
        getter(ref value);
        return value.DenseValues().ToArray();
    }

    private static string Key(float[] map) => string.Concat(map.Select(p => p > 0.5f ? '1' : '0'));
}
