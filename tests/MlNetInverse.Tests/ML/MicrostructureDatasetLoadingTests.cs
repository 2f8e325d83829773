using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Data;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Tests.Cli;

namespace MlNetInverse.Tests.ML;

public sealed class MicrostructureDatasetLoadingTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly MicrostructureDataset _dataset = MicrostructureSamples.Dataset(count: 10, rowGroupSize: 4);
    private readonly string _path;

    public MicrostructureDatasetLoadingTests() => _path = MicrostructureSamples.Write(_dataset, _folder.File("maps.parquet"));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenADatasetFile_WhenLoaded_ThenEveryColumnMatchesTheRecordsInFileOrder()
    {
        var data = new MLContext().Inverse().LoadMicrostructures(_path);

        Assert.Equal(10, data.GetRowCount());
        Assert.Equal(MicrostructureColumns.ImageType(), data.Schema[MicrostructureColumns.Image].Type);
        var records = _dataset.Records;
        Assert.Equal(records.Select(r => r.Id), data.GetColumn<long>(MicrostructureColumns.Id));
        Assert.Equal(records.Select(r => (float)r.Absorption), data.GetColumn<float>(MicrostructureColumns.Absorption));
        Assert.Equal(records.Select(r => "ring"), data.GetColumn<string>(MicrostructureColumns.Family));
        Assert.Equal(records.Select(r => (float)r.Parameters.MeanWavenumber), data.GetColumn<float>(MicrostructureColumns.MeanWavenumber));
        Assert.Equal(records.Select(r => (float)r.Parameters.StdWavenumber), data.GetColumn<float>(MicrostructureColumns.StdWavenumber));
        Assert.Equal(records.Select(r => (float)r.Parameters.VolumeFraction), data.GetColumn<float>(MicrostructureColumns.VolumeFraction));
        Assert.Equal(records.Select(r => r.Seed), data.GetColumn<long>(MicrostructureColumns.Seed));
        var images = data.GetColumn<float[]>(MicrostructureColumns.Image).ToArray();
        for (int i = 0; i < records.Count; i++)
            Assert.True(records[i].Map.Pixels.SequenceEqual(images[i]), $"row {i}: the image differs from Microstructure.Pixels");
    }

    [Fact]
    public void GivenACursorOnOneColumn_WhenItWalksSeveralRowGroups_ThenOtherColumnsAreInactiveAndRowsArrivePositioned()
    {
        var data = new MLContext().Inverse().LoadMicrostructures(_path);
        var absorption = data.Schema[MicrostructureColumns.Absorption];

        using var cursor = data.GetRowCursor([absorption]);
        var getter = cursor.GetGetter<float>(absorption);
        var values = new List<float>();
        while (cursor.MoveNext())
        {
            Assert.Equal(values.Count, cursor.Position);
            float value = 0;
            getter(ref value);
            values.Add(value);
        }

        Assert.Equal(_dataset.Records.Select(r => (float)r.Absorption), values);
        Assert.False(cursor.IsColumnActive(data.Schema[MicrostructureColumns.Image]));
        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<VBuffer<float>>(data.Schema[MicrostructureColumns.Image]));
    }

    [Fact]
    public void GivenTwoCursors_WhenReadInterleaved_ThenEachSeesEveryRow()
    {
        var data = new MLContext().Inverse().LoadMicrostructures(_path);
        var id = data.Schema[MicrostructureColumns.Id];
        using var first = data.GetRowCursor([id]);
        using var second = data.GetRowCursor([id]);
        var firstIds = new List<long>();
        var secondIds = new List<long>();
        var firstGetter = first.GetGetter<long>(id);
        var secondGetter = second.GetGetter<long>(id);

        while (first.MoveNext() | second.MoveNext())
        {
            long value = 0;
            if (first.Position >= 0 && firstIds.Count <= first.Position) { firstGetter(ref value); firstIds.Add(value); }
            if (second.Position >= 0 && secondIds.Count <= second.Position) { secondGetter(ref value); secondIds.Add(value); }
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), firstIds);
        Assert.Equal(firstIds, secondIds);
    }

    [Fact]
    public void GivenALoadedDataset_WhenUsedInAnMlNetPipeline_ThenItsColumnsFeedBuiltInTransforms()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Inverse().LoadMicrostructures(_path);
        float threshold = (float)_dataset.Records.Select(r => r.Absorption).Order().ElementAt(5);

        var high = mlContext.Data.FilterRowsByColumn(data, MicrostructureColumns.Absorption, lowerBound: threshold);
        var features = mlContext.Transforms.Concatenate("Features", MicrostructureColumns.Image, MicrostructureColumns.VolumeFraction)
            .Fit(high).Transform(high);

        var rows = features.GetColumn<float[]>("Features").ToArray();
        Assert.Equal(_dataset.Records.Count(r => (float)r.Absorption >= threshold), rows.Length);
        Assert.All(rows, row => Assert.Equal(64 * 64 + 1, row.Length));
    }

    [Fact]
    public void GivenNoFile_WhenLoaded_ThenFileNotFoundNamesIt()
    {
        var missing = _folder.File("none.parquet");

        var error = Assert.Throws<FileNotFoundException>(() => new MLContext().Inverse().LoadMicrostructures(missing));

        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void GivenAParquetFileThatIsNotADataset_WhenLoaded_ThenTheErrorNamesTheMissingColumn()
    {
        var mlContext = new MLContext();
        var other = _folder.File("other.parquet");
        mlContext.Inverse().SaveAsParquet(mlContext.Data.LoadFromEnumerable(ProbeData.Rows(3)), other);

        var error = Assert.Throws<InvalidDataException>(() => mlContext.Inverse().LoadMicrostructures(other));

        Assert.Contains("has no column 'id'", error.Message);
    }
}
