using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Mdn;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;
using DatasetFakes = MlNetInverse.Tests.Physics.Datasets.DatasetFakes;

namespace MlNetInverse.Tests.ML;

/// <summary>The MDN estimator and its sampling transformer on hand-made latents (the mixture maths is tested in Models).</summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class MdnEstimatorTests : IDisposable
{
    private const int Samples = 5;

    private readonly TempFolder _folder = new();
    private readonly MLContext _mlContext = new(seed: 1);
    private readonly MdnTransformer _mdn;

    public MdnEstimatorTests()
    {
        _mdn = _mlContext.Inverse().Mdn(Options()).Fit(LatentSamples.View(_mlContext, 120));
    }

    public void Dispose()
    {
        _mdn.Dispose();
        _folder.Dispose();
    }

    private static MdnEstimatorOptions Options() => new()
    {
        Network = new MdnOptions { Components = 3, HiddenUnits = 16 },
        Training = new MdnTrainingOptions { Epochs = 15, BatchSize = 32, LearningRate = 1e-2, Seed = 2, Threads = 1 },
        SamplesPerTarget = Samples, SamplingSeed = 9, Stack = DatasetFakes.Stack,
    };

    private IDataView Targets(params float[] targets) =>
        _mlContext.Data.LoadFromEnumerable(targets.Select(t => new TargetRow { Absorption = t }).ToArray());

    [Fact]
    public void GivenTheFittedMdn_WhenTargetsAreTransformed_ThenEachRowHasNLatentsAndTheRangeFlag()
    {
        var output = _mdn.Transform(Targets(0.4f, 0.7f, 0.9f));

        var latents = output.GetColumn<float[]>(GenerationColumns.GeneratedLatents).ToArray();
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, Samples, LatentSamples.LatentDimension), output.Schema[GenerationColumns.GeneratedLatents].Type);
        Assert.All(latents, row => Assert.All(row, v => Assert.True(float.IsFinite(v))));
        Assert.Equal([true, true, false], output.GetColumn<bool>(GenerationColumns.InTrainingRange));
        Assert.Equal((0.3, 0.75), (_mdn.TrainingAbsorptionMin, _mdn.TrainingAbsorptionMax), new ToleranceComparer(1e-6));
    }

    [Fact]
    public void GivenTheRangeFlag_WhenItsAnnotationIsRead_ThenItHoldsTheTrainingRange()
    {
        var column = _mdn.Transform(Targets(0.5f)).Schema[GenerationColumns.InTrainingRange];
        VBuffer<double> range = default;

        column.Annotations.GetValue(GenerationColumns.TrainingAbsorptionRangeAnnotation, ref range);

        Assert.Equal(0.3, range.GetValues()[0], 6);
        Assert.Equal(0.75, range.GetValues()[1], 6);
    }

    [Fact]
    public void GivenTheSameTargetInDifferentRowsAndBatches_WhenSampled_ThenItsDrawsAreIdenticalAndOtherSeedsDiffer()
    {
        var single = _mdn.Transform(Targets(0.6f)).GetColumn<float[]>(GenerationColumns.GeneratedLatents).Single();
        var batch = _mdn.Transform(Targets(0.35f, 0.6f, 0.5f, 0.6f)).GetColumn<float[]>(GenerationColumns.GeneratedLatents).ToArray();
        using var reseeded = _mdn.WithSampling(Samples, samplingSeed: 10);
        using var more = _mdn.WithSampling(2 * Samples, samplingSeed: 9);
        using var engine = _mlContext.Model.CreatePredictionEngine<TargetRow, Prediction>(_mdn);

        Assert.Equal(single, batch[1]);
        Assert.Equal(single, batch[3]);
        Assert.NotEqual(single, batch[2]);
        Assert.Equal(single, engine.Predict(new TargetRow { Absorption = 0.6f }).GeneratedLatents);
        Assert.True(engine.Predict(new TargetRow { Absorption = 0.6f }).InTrainingRange);
        Assert.NotEqual(single, reseeded.Transform(Targets(0.6f)).GetColumn<float[]>(GenerationColumns.GeneratedLatents).Single());
        Assert.Equal(single, more.Transform(Targets(0.6f)).GetColumn<float[]>(GenerationColumns.GeneratedLatents).Single().Take(single.Length));
    }

    [Fact]
    public void GivenTheFittedMdn_WhenItsHeldOutEvaluationIsRead_ThenItIsFiniteAndCountsTheHeldOutShare()
    {
        var heldOut = _mdn.HeldOut!;

        Assert.Equal(12, heldOut.Count);
        Assert.True(double.IsFinite(heldOut.NegativeLogLikelihood));
        Assert.Equal(heldOut.NegativeLogLikelihood / LatentSamples.LatentDimension, heldOut.NegativeLogLikelihoodPerDimension, 12);
        Assert.Equal(15, _mdn.TrainingSummary!.History.Count);
    }

    [Fact]
    public void GivenTheFittedMdn_WhenSavedAndLoadedInAFreshContext_ThenDrawsRangeStackAndHeldOutNllAreKept()
    {
        var path = _folder.File("mdn.zip");
        var targets = Targets(0.31f, 0.62f, 0.8f);
        _mlContext.Inverse().SaveModel(_mdn, targets.Schema, path);

        var loaded = MdnTransformer.FindIn(new MLContext(seed: 7).Inverse().LoadModel(path, out _))!;

        Assert.Equal(InverseModelData.Bits(_mdn.Transform(targets), GenerationColumns.GeneratedLatents), InverseModelData.Bits(loaded.Transform(targets), GenerationColumns.GeneratedLatents));
        Assert.Equal(_mdn.Transform(targets).GetColumn<bool>(GenerationColumns.InTrainingRange), loaded.Transform(targets).GetColumn<bool>(GenerationColumns.InTrainingRange));
        Assert.Equal(_mdn.HeldOut, loaded.HeldOut);
        Assert.Equal(OpticalStackFile.ToJson(DatasetFakes.Stack), OpticalStackFile.ToJson(loaded.Stack!));
        Assert.Null(loaded.TrainingSummary);
        Assert.Equal((Samples, 9L), (loaded.SamplesPerTarget, loaded.SamplingSeed));
    }

    [Fact]
    public void GivenATargetColumnApartFromTheLabel_WhenFitted_ThenTheTransformerReadsTheTargetColumn()
    {
        var data = _mlContext.Transforms.CopyColumns("DecodedAbsorption", "Absorption").Fit(LatentSamples.View(_mlContext, 40)).Transform(LatentSamples.View(_mlContext, 40));
        var options = Options();
        options.Training = options.Training with { Epochs = 1 };
        options.LabelColumnName = "DecodedAbsorption";
        options.TargetColumnName = "Absorption";

        using var mdn = _mlContext.Inverse().Mdn(options).Fit(data);

        Assert.Equal("Absorption", mdn.TargetColumnName);
        Assert.Equal(Samples * LatentSamples.LatentDimension, mdn.Transform(Targets(0.5f)).GetColumn<float[]>(GenerationColumns.GeneratedLatents).Single().Length);
    }

    [Fact]
    public void GivenACalibration_WhenTargetsAreSampled_ThenTheMdnIsConditionedOnTheCalibratedValueAndTheZipKeepsIt()
    {
        var calibration = new MdnCalibration([0.3, 0.75], [0.4, 0.7]);
        using var calibrated = _mdn.WithCalibration(calibration);
        var path = _folder.File("calibrated.zip");
        _mlContext.Inverse().SaveModel(calibrated, Targets(0.55f).Schema, path);
        var loaded = MdnTransformer.FindIn(new MLContext().Inverse().LoadModel(path, out _))!;

        var draws = calibrated.Transform(Targets(0.55f)).GetColumn<float[]>(GenerationColumns.GeneratedLatents).Single();

        Assert.Equal(_mdn.Draw((float)calibration.ConditionFor(0.55f), Samples, MdnTransformer.RowSeed(9, 0.55f)), draws);
        Assert.Equal(draws, loaded.Transform(Targets(0.55f)).GetColumn<float[]>(GenerationColumns.GeneratedLatents).Single());
        Assert.Equal(calibration.Conditions, loaded.Calibration!.Conditions);
        Assert.Equal(calibration.Achieved, loaded.Calibration.Achieved);
        Assert.Null(_mdn.Calibration);
    }

    [Fact]
    public void GivenANaNTarget_WhenTransformed_ThenTheErrorNamesTheColumnAndValue()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            _mdn.Transform(Targets(0.5f, float.NaN)).GetColumn<float[]>(GenerationColumns.GeneratedLatents).ToArray());

        Assert.Contains("Column 'Absorption' holds the target absorption NaN", error.Message);
    }

    [Fact]
    public void GivenAnInputWithoutTheLatentColumn_WhenFitted_ThenTheErrorNamesIt()
    {
        var data = _mlContext.Data.LoadFromEnumerable(LatentSamples.Rows(10).Select(r => new { r.Absorption }));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _mlContext.Inverse().Mdn(epochs: 1).Fit(data));

        Assert.Contains("Input column 'Latent' was not found", error.Message);
    }

    [Fact]
    public void GivenNoSamples_WhenTheEstimatorIsMade_ThenTheOptionIsNamed()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _mlContext.Inverse().Mdn(samplesPerTarget: 0));

        Assert.Contains("SamplesPerTarget must be at least 1", error.Message);
    }

    private sealed class TargetRow
    {
        public float Absorption { get; set; }
    }

    private sealed class Prediction
    {
        public float[] GeneratedLatents { get; set; } = [];

        public bool InTrainingRange { get; set; }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) x, (double, double) y) => Math.Abs(x.Item1 - y.Item1) <= tolerance && Math.Abs(x.Item2 - y.Item2) <= tolerance;

        public int GetHashCode((double, double) obj) => 0;
    }
}
