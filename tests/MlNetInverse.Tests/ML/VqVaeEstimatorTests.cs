using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Schema;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Tests.Models;

namespace MlNetInverse.Tests.ML;

[Collection(TorchDeterminismCollection.Name)]
public sealed class VqVaeEstimatorTests
{
    private readonly MLContext _mlContext = new(seed: 1);

    [Fact]
    public void GivenGrfImages_WhenFitted_ThenLatentCodesAndReconstructionHaveTheDocumentedTypes()
    {
        var data = InverseModelData.View(_mlContext, 64);
        var options = InverseModelData.TinyVqVae();
        options.ReconstructionColumnName = MicrostructureColumns.Reconstruction;

        using var vqVae = _mlContext.Inverse().VqVae(options).Fit(data);
        var schema = vqVae.Transform(data).Schema;

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 4 * 16 * 16), schema[MicrostructureColumns.Latent].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Int32, 16 * 16), schema[MicrostructureColumns.CodeIndices].Type);
        Assert.Equal(MicrostructureColumns.ImageType(), schema[MicrostructureColumns.Reconstruction].Type);
        Assert.Equal(schema.Select(c => (c.Name, c.Type)), vqVae.GetOutputSchema(data.Schema).Select(c => (c.Name, c.Type)));
        var reconstructions = vqVae.Transform(data).GetColumn<float[]>(MicrostructureColumns.Reconstruction).ToArray();
        Assert.All(reconstructions.SelectMany(r => r), p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void GivenAFittedVqVae_WhenTheLatentIsRead_ThenEachGridCellHoldsTheCodeVectorOfItsIndexChannelMajor()
    {
        var data = InverseModelData.View(_mlContext, 64);
        using var vqVae = _mlContext.Inverse().VqVae(InverseModelData.TinyVqVae()).Fit(data);
        var output = vqVae.Transform(data);
        var latents = output.GetColumn<float[]>(MicrostructureColumns.Latent).ToArray();
        var codes = output.GetColumn<int[]>(MicrostructureColumns.CodeIndices).ToArray();

        // Layout d*G*G + cell: the D values of a cell are one code vector, the same wherever that code is chosen.
        const int d = 4, cells = 16 * 16;
        var codeVectors = new Dictionary<int, float[]>();
        for (int row = 0; row < latents.Length; row++)
            for (int cell = 0; cell < cells; cell++)
            {
                int code = codes[row][cell];
                Assert.InRange(code, 0, 31);
                var vector = Enumerable.Range(0, d).Select(k => latents[row][k * cells + cell]).ToArray();
                if (codeVectors.TryGetValue(code, out var known)) Assert.Equal(known, vector);
                else codeVectors[code] = vector;
            }
        Assert.True(codeVectors.Count >= 2, $"only {codeVectors.Count} code(s) used");
        Assert.Equal(codeVectors.Count, codeVectors.Values.Select(v => string.Join(",", v)).Distinct().Count());
    }

    [Fact]
    public void GivenMoreEpochs_WhenFitted_ThenTheTrainingHistoryShowsReconstructionImproving()
    {
        var data = InverseModelData.View(_mlContext, 256);

        using var vqVae = _mlContext.Inverse().VqVae(InverseModelData.TinyVqVae(epochs: 6)).Fit(data);


        var history = vqVae.TrainingSummary!.History;
        Assert.Equal(6, history.Count);
        Assert.Equal("none", vqVae.TrainingSummary.AbsorptionLoss);
        Assert.True(history[^1].ReconstructionError < history[0].ReconstructionError,
            $"reconstruction error went from {history[0].ReconstructionError} to {history[^1].ReconstructionError}");
        Assert.True(history[^1].PixelAccuracy > 0.85, $"pixel accuracy {history[^1].PixelAccuracy}");
    }

    [Fact]
    public void GivenSurrogateTraining_WhenFitted_ThenTheAbsorptionLossIsPartOfTraining()
    {
        var data = InverseModelData.View(_mlContext, 96);
        var options = InverseModelData.TinyVqVae();
        options.SurrogateTraining = InverseModelData.TinySurrogate();

        using var vqVae = _mlContext.Inverse().VqVae(options).Fit(data);

        var summary = vqVae.TrainingSummary!;
        Assert.Equal("surrogate trained in Fit", summary.AbsorptionLoss);
        Assert.NotNull(summary.SurrogateHeldOut);
        Assert.All(summary.History, epoch => Assert.NotNull(epoch.AbsorptionLoss));
    }

    [Fact]
    public void GivenTheSameSeed_WhenFittedTwice_ThenLatentsAreBitIdentical()
    {
        var data = InverseModelData.View(_mlContext, 48);

        using var first = _mlContext.Inverse().VqVae(InverseModelData.TinyVqVae()).Fit(data);
        using var second = new MLContext(seed: 7).Inverse().VqVae(InverseModelData.TinyVqVae()).Fit(data);

        Assert.Equal(InverseModelData.Bits(first.Transform(data), MicrostructureColumns.Latent),
            InverseModelData.Bits(second.Transform(data), MicrostructureColumns.Latent));
    }

    [Fact]
    public void GivenLatentsOfAFittedVqVae_WhenSavedAsParquetWithTheAbsorption_ThenTheyLoadBackWithTypesAndBits()
    {
        using var folder = new TempFolder();
        var data = InverseModelData.View(_mlContext, 40);
        using var vqVae = _mlContext.Inverse().VqVae(InverseModelData.TinyVqVae(epochs: 1)).Fit(data);
        var latents = vqVae.Transform(data);
        var path = folder.File("latents.parquet");

        _mlContext.Inverse().SaveAsParquet(latents, path, new MlNetInverse.ML.Parquet.ParquetSaveOptions
        {
            Columns = [MicrostructureColumns.Absorption, MicrostructureColumns.Latent, MicrostructureColumns.CodeIndices],
        });
        var loaded = _mlContext.Inverse().LoadFromParquet(path);

        foreach (var column in new[] { MicrostructureColumns.Latent, MicrostructureColumns.CodeIndices })
        {
            Assert.Equal(latents.Schema[column].Type, loaded.Schema[column].Type);
            Assert.Equal(InverseModelData.Bits(latents, column), InverseModelData.Bits(loaded, column));
        }
        Assert.Equal(data.GetColumn<float>(MicrostructureColumns.Absorption), loaded.GetColumn<float>(MicrostructureColumns.Absorption));
    }

    [Fact]
    public void GivenAnImageColumnOfTheWrongSize_WhenFitted_ThenTheErrorNamesColumnExpectedAndActualType()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[] { new WrongSizeRow(), new WrongSizeRow() });

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _mlContext.Inverse().VqVae(InverseModelData.TinyVqVae()).Fit(data));

        Assert.Contains("Input column 'Image' has type Vector<Single, 100>; expected a square image Vector<Single, S*S>", error.Message);
    }

    [Fact]
    public void GivenAFittedVqVae_WhenAskedForTheSchemaOfAnInputWithAnotherImageSize_ThenTheErrorNamesBothTypes()
    {
        var data = InverseModelData.View(_mlContext, 16);
        using var vqVae = _mlContext.Inverse().VqVae(InverseModelData.TinyVqVae(epochs: 1)).Fit(data);
        var other = _mlContext.Data.LoadFromEnumerable(new[] { new WrongSizeRow() });

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => vqVae.GetOutputSchema(other.Schema));

        Assert.Contains("Input column 'Image' has type Vector<Single, 100>; expected Vector<Single, 4096>.", error.Message);
    }

    [Fact]
    public void GivenSurrogateTrainingAndADoubleLabel_WhenTheSchemaIsChecked_ThenTheErrorNamesTheLabelColumn()
    {
        var options = InverseModelData.TinyVqVae();
        options.SurrogateTraining = InverseModelData.TinySurrogate();
        options.AbsorptionColumnName = "Label";
        var data = _mlContext.Data.LoadFromEnumerable(new[] { new DoubleLabelRow() });

        var estimator = _mlContext.Inverse().VqVae(options);
        var shapeError = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(InputColumnCheck.ShapeOf(data.Schema)));
        var fitError = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(data));

        Assert.Contains("Label column 'Label' has type Double; expected Single", shapeError.Message);
        Assert.Contains("Label column 'Label' has type Double; expected Single", fitError.Message);
    }

    [Theory]
    [InlineData(nameof(VqVaeOptions.CodebookSize), "CodebookSize must be at least 2; got 1")]
    [InlineData(nameof(VqVaeOptions.LatentGridSize), "LatentGridSize must be a power of two")]
    [InlineData(nameof(VqVaeTrainingOptions.Epochs), "Epochs must be at least 1; got 0")]
    [InlineData(nameof(VqVaeTrainingOptions.Alpha), "Alpha must be a finite number >= 0; got -1")]
    public void GivenAnOutOfRangeSetting_WhenTheEstimatorIsCreated_ThenTheErrorNamesIt(string setting, string expected)
    {
        var options = InverseModelData.TinyVqVae();
        switch (setting)
        {
            case nameof(VqVaeOptions.CodebookSize): options.Network = options.Network with { CodebookSize = 1 }; break;
            case nameof(VqVaeOptions.LatentGridSize): options.Network = options.Network with { LatentGridSize = 3 }; break;
            case nameof(VqVaeTrainingOptions.Epochs): options.Training = options.Training with { Epochs = 0 }; break;
            default: options.Training = options.Training with { Alpha = -1 }; break;
        }

        var error = Assert.ThrowsAny<ArgumentException>(() => _mlContext.Inverse().VqVae(options));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void GivenBothAFittedSurrogateAndSurrogateTraining_WhenTheEstimatorIsCreated_ThenItRefuses()
    {
        var data = InverseModelData.View(_mlContext, 16);
        using var surrogate = _mlContext.Inverse().AbsorptionSurrogate(InverseModelData.TinySurrogate(epochs: 1)).Fit(data);
        var options = InverseModelData.TinyVqVae();
        options.Surrogate = surrogate;
        options.SurrogateTraining = InverseModelData.TinySurrogate();

        var error = Assert.Throws<ArgumentException>(() => _mlContext.Inverse().VqVae(options));

        Assert.Contains("either a fitted Surrogate or SurrogateTraining", error.Message);
    }

    private sealed class WrongSizeRow
    {
        [VectorType(100)]
        public float[] Image { get; set; } = new float[100];
    }

    private sealed class DoubleLabelRow
    {
        [VectorType(InverseModelData.Pixels)]
        public float[] Image { get; set; } = new float[InverseModelData.Pixels];

        public double Label { get; set; }
    }
}
