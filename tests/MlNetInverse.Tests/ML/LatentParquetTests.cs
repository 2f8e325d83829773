using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Latents;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Tests.Cli;
using DatasetFakes = MlNetInverse.Tests.Physics.Datasets.DatasetFakes;

namespace MlNetInverse.Tests.ML;

public sealed class LatentParquetTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly MLContext _mlContext = new(seed: 1);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenLatentRows_WhenWrittenToAMemoryStream_ThenLoadingGivesBackEveryValueAndKnownSizes()
    {
        var rows = LatentSamples.Rows(40);
        using var stream = new MemoryStream();
        var options = new LatentExtractionOptions { Path = "unused.parquet", RowGroupSize = 16 };

        long written = LatentFile.Write(_mlContext.Data.LoadFromEnumerable(rows), stream, options);
        var bytes = stream.ToArray();
        var loaded = LatentFile.Load(() => new MemoryStream(bytes, writable: false), "memory", 0);

        Assert.Equal(40, written);
        Assert.Equal(40, loaded.GetRowCount());
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, LatentSamples.LatentDimension), loaded.Schema[MicrostructureColumns.Latent].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Int32, LatentSamples.Codes), loaded.Schema[MicrostructureColumns.CodeIndices].Type);
        Assert.Equal(rows.Select(r => r.Id), loaded.GetColumn<long>(MicrostructureColumns.Id));
        Assert.Equal(rows.Select(r => r.Absorption), loaded.GetColumn<float>(MicrostructureColumns.Absorption));
        Assert.Equal(rows.Select(r => r.Latent), loaded.GetColumn<float[]>(MicrostructureColumns.Latent));
        Assert.Equal(rows.Select(r => r.CodeIndices), loaded.GetColumn<int[]>(MicrostructureColumns.CodeIndices));
    }

    [Fact]
    public void GivenTheExtractionStepInAChain_WhenFitted_ThenTheFileHoldsEveryRowAndRowsPassThroughUnchanged()
    {
        var path = _folder.File("latents.parquet");
        var data = LatentSamples.View(_mlContext, 30);

        var step = _mlContext.Transforms.CopyColumns("Copy", MicrostructureColumns.Absorption)
            .Append(_mlContext.Inverse().ExtractLatents(path), TransformerScope.TrainTest)
            .Fit(data);
        var passed = step.Transform(data);
        var loaded = _mlContext.Inverse().LoadLatents(path);

        var extraction = LatentExtractionTransformer.FindIn(step)!;
        Assert.Equal((Path.GetFullPath(path), 30L), (extraction.Path, extraction.RowCount));
        Assert.Equal(data.Schema.Select(c => c.Name).Append("Copy"), passed.Schema.Select(c => c.Name));
        Assert.Equal(data.GetColumn<float[]>(MicrostructureColumns.Latent), passed.GetColumn<float[]>(MicrostructureColumns.Latent));
        Assert.Equal(data.GetColumn<long>(MicrostructureColumns.Id), loaded.GetColumn<long>(MicrostructureColumns.Id));
        Assert.Equal(data.GetColumn<float[]>(MicrostructureColumns.Latent), loaded.GetColumn<float[]>(MicrostructureColumns.Latent));
        Assert.Empty(Directory.GetFiles(_folder.Path, "*.tmp"));
    }

    [Fact]
    public void GivenTheFittedChain_WhenSavedAndLoaded_ThenTheExtractionStepKeepsItsFileAndCount()
    {
        var path = _folder.File("latents.parquet");
        var data = LatentSamples.View(_mlContext, 12);
        var model = _mlContext.Inverse().ExtractLatents(path).Fit(data);
        var zip = _folder.File("chain.zip");

        _mlContext.Model.Save(model, data.Schema, zip);
        var loaded = LatentExtractionTransformer.FindIn(new MLContext().Model.Load(zip, out _))!;

        Assert.Equal((model.Path, model.RowCount), (loaded.Path, loaded.RowCount));
    }

    [Fact]
    public void GivenRowsWithoutAnIdColumn_WhenExtracted_ThenTheIdIsTheRowNumber()
    {
        var rows = LatentSamples.Rows(5).Select(r => new LatentSamples.AnonymousRow { Absorption = r.Absorption, Latent = r.Latent }).ToArray();
        var path = _folder.File("anonymous.parquet");

        _mlContext.Inverse().ExtractLatents(path, codeIndicesColumnName: null).Fit(_mlContext.Data.LoadFromEnumerable(rows));
        var loaded = _mlContext.Inverse().LoadLatents(path);

        Assert.Equal([0L, 1, 2, 3, 4], loaded.GetColumn<long>(MicrostructureColumns.Id));
        Assert.Null(loaded.Schema.GetColumnOrNull(MicrostructureColumns.CodeIndices));
    }

    [Fact]
    public void GivenAnExtraAbsorptionColumn_WhenExtracted_ThenItIsWrittenUnderItsNameAndLoadedBack()
    {
        var data = _mlContext.Transforms.CopyColumns("DecodedAbsorption", MicrostructureColumns.Absorption).Fit(LatentSamples.View(_mlContext, 8))
            .Transform(LatentSamples.View(_mlContext, 8));
        var path = _folder.File("extra.parquet");

        _mlContext.Inverse().ExtractLatents(new LatentExtractionOptions { Path = path, ExtraColumnNames = ["DecodedAbsorption"] }).Fit(data);
        var loaded = _mlContext.Inverse().LoadLatents(path);

        Assert.Equal(data.GetColumn<float>(MicrostructureColumns.Absorption), loaded.GetColumn<float>("DecodedAbsorption"));
        Assert.Throws<ArgumentException>(() => _mlContext.Inverse().ExtractLatents(new LatentExtractionOptions { Path = path, ExtraColumnNames = ["Latent"] }).Fit(data));
    }

    [Fact]
    public void GivenAnInputWithoutTheLatentColumn_WhenFitted_ThenTheErrorNamesItAndNoFileIsWritten()
    {
        var path = _folder.File("none.parquet");
        var data = _mlContext.Data.LoadFromEnumerable(LatentSamples.Rows(3).Select(r => new { r.Absorption }));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _mlContext.Inverse().ExtractLatents(path).Fit(data));

        Assert.Contains("'Latent' was not found", error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void GivenAFileWithoutTheLatentColumn_WhenLoaded_ThenTheErrorNamesIt()
    {
        var path = _folder.File("foreign.parquet");
        _mlContext.Inverse().SaveAsParquet(_mlContext.Data.LoadFromEnumerable(LatentSamples.Rows(3).Select(r => new { r.Id, r.Absorption })), path);

        var error = Assert.Throws<InvalidDataException>(() => _mlContext.Inverse().LoadLatents(path));

        Assert.Contains("has no column 'Latent'", error.Message);
    }

    [Fact]
    public void GivenAFileWhoseAbsorptionIsDouble_WhenLoaded_ThenTheErrorNamesTheColumnAndBothTypes()
    {
        var path = _folder.File("double.parquet");
        var rows = LatentSamples.Rows(3).Select(r => new DoubleRow { Absorption = r.Absorption, Latent = r.Latent });
        _mlContext.Inverse().SaveAsParquet(_mlContext.Data.LoadFromEnumerable(rows), path);

        var error = Assert.Throws<InvalidDataException>(() => _mlContext.Inverse().LoadLatents(path));

        Assert.Contains("column 'Absorption' is double; expected float", error.Message);
    }

    [Fact]
    public void GivenAForeignFileWithoutRecordedSizes_WhenLoaded_ThenTheDimensionIsRequiredAndChecked()
    {
        var path = _folder.File("ragged.parquet");
        var rows = LatentSamples.Rows(4).Select(r => new RaggedRow { Absorption = r.Absorption, Latent = r.Latent });
        _mlContext.Inverse().SaveAsParquet(_mlContext.Data.LoadFromEnumerable(rows), path);

        var missing = Assert.Throws<InvalidDataException>(() => _mlContext.Inverse().LoadLatents(path));
        var loaded = _mlContext.Inverse().LoadLatents(path, LatentSamples.LatentDimension);
        var wrong = Assert.Throws<InvalidDataException>(() => _mlContext.Inverse().LoadLatents(path, 5).GetColumn<float[]>(MicrostructureColumns.Latent).ToArray());

        Assert.Contains("records no vector size; pass the latent dimension", missing.Message);
        Assert.Equal(rows.Select(r => r.Latent), loaded.GetColumn<float[]>(MicrostructureColumns.Latent));
        Assert.Contains("has 6 values in row 0", wrong.Message);
    }

    [Fact]
    public void GivenAStackInTheFooter_WhenLoadedAndExtractedAgain_ThenTheStackTravelsAsTheAbsorptionAnnotation()
    {
        string json = OpticalStackFile.ToJson(DatasetFakes.Stack);
        var first = _folder.File("first.parquet");
        var second = _folder.File("second.parquet");
        _mlContext.Inverse().ExtractLatents(new LatentExtractionOptions
        {
            Path = first, Metadata = new Dictionary<string, string> { [MicrostructureDatasetFile.StackKey] = json },
        }).Fit(LatentSamples.View(_mlContext, 6));

        var loaded = _mlContext.Inverse().LoadLatents(first);
        _mlContext.Inverse().ExtractLatents(second).Fit(loaded);

        Assert.Equal(json, StackOf(loaded));
        Assert.Equal(json, StackOf(_mlContext.Inverse().LoadLatents(second)));
        Assert.Null(_mlContext.Inverse().LoadLatents(second).Schema[MicrostructureColumns.Latent].Annotations.Schema.GetColumnOrNull(MicrostructureColumns.OpticalStackAnnotation));
    }

    private static string StackOf(IDataView data)
    {
        ReadOnlyMemory<char> value = default;
        data.Schema[MicrostructureColumns.Absorption].Annotations.GetValue(MicrostructureColumns.OpticalStackAnnotation, ref value);
        return value.ToString();
    }

    private sealed class DoubleRow
    {
        public double Absorption { get; set; }

        [VectorType(LatentSamples.LatentDimension)]
        public float[] Latent { get; set; } = [];
    }

    private sealed class RaggedRow
    {
        public float Absorption { get; set; }

        public float[] Latent { get; set; } = [];
    }
}
