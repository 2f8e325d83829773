using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;

namespace MlNetInverse.Tests.ML;

[Collection(TorchDeterminismCollection.Name)]
public sealed class AbsorptionSurrogateEstimatorTests
{
    private readonly MLContext _mlContext = new(seed: 1);

    [Fact]
    public void GivenGrfMapsWithAStructureDependentLabel_WhenFitted_ThenTheHeldOutErrorsShowALearnedPredictor()
    {
        var data = InverseModelData.View(_mlContext, 320);
        var options = InverseModelData.TinySurrogate(epochs: 24);
        options.Network = options.Network with { BaseChannels = 4, HiddenUnits = 16 };

        using var surrogate = _mlContext.Inverse().AbsorptionSurrogate(options).Fit(data);

        var heldOut = surrogate.HeldOut!;
        Assert.Equal(64, heldOut.Count);
        Assert.True(heldOut.RSquared > 0.8, $"held-out R^2 {heldOut.RSquared:F3}, MAE {heldOut.MeanAbsoluteError:F4}");
        var predictions = surrogate.Transform(data).GetColumn<float>(MicrostructureColumns.PredictedAbsorption).ToArray();
        Assert.Equal(320, predictions.Length);
        Assert.All(predictions, p => Assert.True(float.IsFinite(p)));
    }

    [Fact]
    public void GivenAFittedSurrogate_WhenSavedAndLoaded_ThenPredictionsAndHeldOutErrorsAreKept()
    {
        using var folder = new TempFolder();
        var data = InverseModelData.View(_mlContext, 40);
        using var surrogate = _mlContext.Inverse().AbsorptionSurrogate(epochs: 1, batchSize: 16, seed: 2).Fit(data);
        var path = folder.File("surrogate.zip");
        _mlContext.Inverse().SaveModel(surrogate, data.Schema, path);

        var loaded = (AbsorptionSurrogateTransformer)new MLContext().Inverse().LoadModel(path, out _);

        Assert.Equal(surrogate.HeldOut, loaded.HeldOut);
        Assert.Equal(InverseModelData.Bits(surrogate.Transform(data), MicrostructureColumns.PredictedAbsorption),
            InverseModelData.Bits(loaded.Transform(data), MicrostructureColumns.PredictedAbsorption));
    }

    [Fact]
    public void GivenNoLabelColumn_WhenFitted_ThenTheErrorNamesTheMissingLabel()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[] { new ImageOnlyRow() });

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _mlContext.Inverse().AbsorptionSurrogate(labelColumnName: "Target").Fit(data));

        Assert.Contains("Label column 'Target' was not found; the input has 'Image'.", error.Message);
    }

    [Fact]
    public void GivenPixelsOutsideZeroOne_WhenFitted_ThenTheErrorNamesRowAndPixel()
    {
        var rows = InverseModelData.Rows(3);
        rows[1] = new InverseModelData.Row { Image = rows[1].Image.Select((p, i) => i == 7 ? 255f : p).ToArray(), Absorption = 0.5f };

        var error = Assert.Throws<InvalidOperationException>(() =>
            _mlContext.Inverse().AbsorptionSurrogate(InverseModelData.TinySurrogate(1)).Fit(_mlContext.Data.LoadFromEnumerable(rows)));

        Assert.Contains("Column 'Image', row 1, pixel 7 is 255; pixel values must lie in [0, 1]", error.Message);
    }

    [Fact]
    public void GivenAHeldOutFractionOfOne_WhenTheEstimatorIsCreated_ThenTheErrorNamesTheSetting()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => _mlContext.Inverse().AbsorptionSurrogate(heldOutFraction: 1));

        Assert.Contains("HeldOutFraction must be in (0, 1); got 1", error.Message);
    }

    private sealed class ImageOnlyRow
    {
        [VectorType(InverseModelData.Pixels)]
        public float[] Image { get; set; } = new float[InverseModelData.Pixels];
    }
}
