using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.Parquet;
using MlNetInverse.Tests.Cli;
using Parquet;

namespace MlNetInverse.Tests.ML;

public sealed class ParquetRoundTripTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly MLContext _mlContext = new(seed: 1);

    private sealed class AllTypes
    {
        public float Single { get; set; }
        public double Double { get; set; }
        public int Int32 { get; set; }
        public long Int64 { get; set; }
        public bool Boolean { get; set; }
        public string Text { get; set; } = "";

        [VectorType(4)]
        public float[] Latent { get; set; } = [];

        [VectorType(3)]
        public int[] Codes { get; set; } = [];

        [VectorType(2)]
        public double[] Pair { get; set; } = [];

        [VectorType(2)]
        public long[] Longs { get; set; } = [];

        public float[] Ragged { get; set; } = [];
    }

    private sealed class Unsigned
    {
        public uint Count { get; set; }
        public float Value { get; set; }
    }

    public void Dispose() => _folder.Dispose();

    private static AllTypes[] Rows(int count) => Enumerable.Range(0, count).Select(i => new AllTypes
    {
        Single = i == 3 ? float.NaN : i * 0.1f,
        Double = Math.PI * i,
        Int32 = -i,
        Int64 = (long)i << 40,
        Boolean = i % 2 == 0,
        Text = $"µm row {i}",
        Latent = [i, -i, i / 3f, float.Epsilon],
        Codes = [i, i + 1, 511],
        Pair = [i / 7.0, double.MaxValue],
        Longs = [i, long.MinValue],
        Ragged = Enumerable.Range(0, i % 4).Select(k => (float)(k + i)).ToArray(),
    }).ToArray();

    [Fact]
    public void GivenEverySupportedType_WhenSavedToAMemoryStreamAndLoaded_ThenTypesAndValuesRoundTrip()
    {
        var rows = Rows(10);
        var data = _mlContext.Data.LoadFromEnumerable(rows);
        using var stream = new MemoryStream();

        _mlContext.Inverse().SaveAsParquet(data, stream, new ParquetSaveOptions { RowGroupSize = 3 });
        var bytes = stream.ToArray();
        var loaded = ParquetLoader.Load(() => new MemoryStream(bytes, writable: false), "memory", []);

        Assert.Equal(4, RowGroupCount(bytes));
        Assert.Equal(10, loaded.GetRowCount());
        foreach (var column in data.Schema)
            Assert.Equal(column.Type, loaded.Schema[column.Name].Type);
        AssertSameRows(rows, _mlContext.Data.CreateEnumerable<AllTypes>(loaded, reuseRowObject: false).ToArray());
    }

    [Fact]
    public void GivenAFilePath_WhenSaved_ThenTheFileLoadsBackAndNoTempFileRemains()
    {
        var rows = Rows(5);
        var path = _folder.File("all.parquet");

        _mlContext.Inverse().SaveAsParquet(_mlContext.Data.LoadFromEnumerable(rows), path);
        var loaded = _mlContext.Inverse().LoadFromParquet(path);

        Assert.Equal(["all.parquet"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
        AssertSameRows(rows, _mlContext.Data.CreateEnumerable<AllTypes>(loaded, reuseRowObject: false).ToArray());
    }

    [Fact]
    public void GivenAnEmptyDataView_WhenSavedAndLoaded_ThenTheSchemaSurvivesWithNoRows()
    {
        using var stream = new MemoryStream();

        _mlContext.Inverse().SaveAsParquet(_mlContext.Data.LoadFromEnumerable(Array.Empty<AllTypes>()), stream);
        var bytes = stream.ToArray();
        var loaded = ParquetLoader.Load(() => new MemoryStream(bytes, writable: false), "memory", []);

        Assert.Equal(0, loaded.GetRowCount());
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 4), loaded.Schema["Latent"].Type);
        Assert.Empty(loaded.GetColumn<float>("Single"));
    }

    [Fact]
    public void GivenAColumnSelection_WhenSavedAndLoaded_ThenOnlyThoseColumnsAppearInThatOrder()
    {
        var path = _folder.File("latent.parquet");
        var options = new ParquetSaveOptions { Columns = ["Latent", "Int64"], Metadata = new Dictionary<string, string> { ["origin"] = "test" } };

        _mlContext.Inverse().SaveAsParquet(_mlContext.Data.LoadFromEnumerable(Rows(4)), path, options);
        var loaded = _mlContext.Inverse().LoadFromParquet(path);

        Assert.Equal(["Latent", "Int64"], loaded.Schema.Select(c => c.Name));
        Assert.Equal("test", Metadata(path)["origin"]);
    }

    [Fact]
    public void GivenAnUnsupportedColumnType_WhenSaved_ThenTheErrorNamesTheColumnAndItsType()
    {
        var data = _mlContext.Data.LoadFromEnumerable([new Unsigned { Count = 1, Value = 2 }]);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _mlContext.Inverse().SaveAsParquet(data, new MemoryStream()));

        Assert.Contains("Column 'Count' has type UInt32, which Parquet saving does not support", error.Message);
    }

    [Fact]
    public void GivenRequestedColumns_WhenOneIsMissing_ThenTheErrorNamesItAndListsTheFileColumns()
    {
        var path = Save(Rows(2), ["Latent", "Single"]);

        var error = Assert.Throws<InvalidDataException>(() => _mlContext.Inverse().LoadFromParquet(path, new ParquetColumn("Absorption")));

        Assert.Contains($"Parquet file '{path}' has no column 'Absorption'; it has Latent list<float>, Single float.", error.Message);
    }

    [Fact]
    public void GivenRequestedColumns_WhenOneHasAnotherItemType_ThenTheErrorNamesExpectedAndActual()
    {
        var path = Save(Rows(2), ["Pair"]);

        var error = Assert.Throws<InvalidDataException>(() =>
            _mlContext.Inverse().LoadFromParquet(path, new ParquetColumn("Pair", new VectorDataViewType(NumberDataViewType.Single, 2))));

        Assert.Contains("column 'Pair' is list<double> of 2 values per row; expected list<float> of 2 values per row for Vector<Single, 2>.", error.Message);
    }

    [Fact]
    public void GivenRequestedColumns_WhenAVectorSizeDiffersFromTheFile_ThenTheErrorNamesBothSizes()
    {
        var path = Save(Rows(2), ["Latent"]);

        var error = Assert.Throws<InvalidDataException>(() =>
            _mlContext.Inverse().LoadFromParquet(path, new ParquetColumn("Latent", new VectorDataViewType(NumberDataViewType.Single, 16))));

        Assert.Contains("column 'Latent' is list<float> of 4 values per row; expected list<float> of 16 values per row", error.Message);
    }

    [Fact]
    public void GivenAVariableSizeColumn_WhenRequestedWithAKnownSize_ThenRowsOfThatSizeLoadAndOthersFailNamingTheRow()
    {
        var rows = Rows(8).Where(r => r.Ragged.Length == 2).ToArray();
        var path = Save(rows, ["Ragged"]);
        var mixed = Save(Rows(4), ["Ragged"]);
        var twoFloats = new ParquetColumn("Ragged", new VectorDataViewType(NumberDataViewType.Single, 2));

        var loaded = _mlContext.Inverse().LoadFromParquet(path, twoFloats);
        var error = Assert.Throws<InvalidDataException>(() =>
            _mlContext.Inverse().LoadFromParquet(mixed, twoFloats).GetColumn<float[]>("Ragged").ToArray());

        Assert.Equal(rows.Select(r => r.Ragged), loaded.GetColumn<float[]>("Ragged"));
        Assert.Contains("column 'Ragged' has 0 values in row 0 of a row group; expected 2 (Vector<Single, 2>).", error.Message);
    }

    [Fact]
    public void GivenAFileThatIsNotParquet_WhenLoaded_ThenTheErrorSaysSo()
    {
        var path = _folder.Write("notes.parquet", "just text");

        var error = Assert.Throws<InvalidDataException>(() => _mlContext.Inverse().LoadFromParquet(path));

        Assert.StartsWith($"Parquet file '{path}' is not a Parquet file or is damaged", error.Message);
    }

    [Fact]
    public void GivenTheMicrostructureDataset_WhenLoadedAsPlainParquet_ThenScalarAndListColumnsAppearAndBinaryIsLeftOut()
    {
        var path = MicrostructureSamples.Write(MicrostructureSamples.Dataset(count: 3, rowGroupSize: 2), _folder.File("maps.parquet"));

        var loaded = _mlContext.Inverse().LoadFromParquet(path);

        Assert.DoesNotContain(loaded.Schema, c => c.Name == "microstructure");
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Double), loaded.Schema["wavelength_absorption"].Type);
        Assert.Equal([0L, 1L, 2L], loaded.GetColumn<long>("id"));
        Assert.All(loaded.GetColumn<double[]>("wavelength_absorption"), v => Assert.Equal(2, v.Length));
    }

    private string Save(AllTypes[] rows, IReadOnlyList<string> columns)
    {
        var path = _folder.File($"{Guid.NewGuid():N}.parquet");
        _mlContext.Inverse().SaveAsParquet(_mlContext.Data.LoadFromEnumerable(rows), path, new ParquetSaveOptions { Columns = columns });
        return path;
    }

    private static int RowGroupCount(byte[] bytes) => Task.Run(async () =>
    {
        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(bytes));
        return reader.RowGroupCount;
    }).GetAwaiter().GetResult();

    private static IReadOnlyDictionary<string, string> Metadata(string path) => Task.Run(async () =>
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        return reader.CustomMetadata;
    }).GetAwaiter().GetResult();

    private static void AssertSameRows(AllTypes[] expected, AllTypes[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            Assert.Equal(BitConverter.SingleToInt32Bits(e.Single), BitConverter.SingleToInt32Bits(a.Single));
            Assert.Equal(e.Double, a.Double);
            Assert.Equal(e.Int32, a.Int32);
            Assert.Equal(e.Int64, a.Int64);
            Assert.Equal(e.Boolean, a.Boolean);
            Assert.Equal(e.Text, a.Text);
            Assert.Equal(e.Latent, a.Latent);
            Assert.Equal(e.Codes, a.Codes);
            Assert.Equal(e.Pair, a.Pair);
            Assert.Equal(e.Longs, a.Longs);
            Assert.Equal(e.Ragged, a.Ragged);
        }
    }
}
