using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;
using Parquet;

namespace MlNetInverse.Tests.Physics.Datasets;

public sealed class MicrostructureDatasetFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task GivenADataset_WhenWrittenToAMemoryStreamAndReadBack_ThenEveryColumnIsEqual()
    {
        var dataset = CreateDataset(count: 7, rowGroupSize: 3);
        using var stream = new MemoryStream();
        await MicrostructureDatasetFile.WriteAsync(stream, dataset);
        stream.Position = 0;

        var read = await MicrostructureDatasetFile.ReadAsync(stream);

        AssertSameDataset(dataset, read);
    }

    [Fact]
    public async Task GivenADatasetFile_WhenStreamedByRowGroup_ThenGroupsFollowTheRowGroupSizeAndTheFileIsSnappyCompressed()
    {
        var dataset = CreateDataset(count: 7, rowGroupSize: 3);
        string path = _folder.File("data.parquet");
        await MicrostructureDatasetFile.WriteAsync(path, dataset);

        Assert.False(File.Exists(path + ".tmp"));
        AssertSameDataset(dataset, await MicrostructureDatasetFile.ReadAsync(path));
        await using (var reader = await MicrostructureDatasetFile.OpenAsync(path))
        {
            Assert.Equal(3, reader.RowGroupCount);
            Assert.Equal(7, reader.RowCount);
            Assert.Equal([3L, 3L, 1L], Enumerable.Range(0, 3).Select(reader.RowGroupRowCount));
            var streamed = new List<MicrostructureRecord>();
            await foreach (var record in reader.ReadRecordsAsync()) streamed.Add(record);
            Assert.Equal(dataset.Records.Select(r => r.Id), streamed.Select(r => r.Id));
        }
        await using var parquet = await ParquetReader.CreateAsync(path);
        Assert.All(parquet.Metadata!.RowGroups[0].Columns, c => Assert.Equal(Parquet.Meta.CompressionCodec.SNAPPY, c.MetaData!.Codec));
        Assert.Equal(OpticalStackFile.ToJson(DatasetFakes.Stack), parquet.CustomMetadata[MicrostructureDatasetFile.StackKey]);
        Assert.Contains("\"format_version\": 1", parquet.CustomMetadata[MicrostructureDatasetFile.GenerationKey]);
    }

    [Fact]
    public async Task GivenAMissingFile_WhenRead_ThenFileNotFoundNamesThePath()
    {
        string path = _folder.File("absent.parquet");
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => MicrostructureDatasetFile.ReadAsync(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public async Task GivenATextFile_WhenRead_ThenTheErrorSaysItIsNotParquet()
    {
        string path = _folder.File("notes.parquet");
        await File.WriteAllTextAsync(path, "these are not the rows you are looking for");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => MicrostructureDatasetFile.ReadAsync(path));
        Assert.Contains("not a Parquet file", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public async Task GivenAFileWithoutTheAbsorptionColumn_WhenRead_ThenTheErrorNamesTheColumn()
    {
        using var stream = await HandMadeDatasetFile.WriteAsync(omit: "absorption");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => MicrostructureDatasetFile.ReadAsync(stream));
        Assert.Contains("no column 'absorption'", error.Message);
    }

    [Fact]
    public async Task GivenAnIdColumnOfDoubles_WhenRead_ThenTheErrorNamesExpectedAndActualTypes()
    {
        using var stream = await HandMadeDatasetFile.WriteAsync(idAsDouble: true);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => MicrostructureDatasetFile.ReadAsync(stream));
        Assert.Contains("column 'id' is double; expected int64", error.Message);
    }

    [Fact]
    public async Task GivenAMicrostructureBlobOfTheWrongLength_WhenRead_ThenTheErrorNamesTheRowAndTheLengths()
    {
        using var stream = await HandMadeDatasetFile.WriteAsync(blobBytes: 100);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => MicrostructureDatasetFile.ReadAsync(stream));
        Assert.Contains("row id 0 has a 100-byte microstructure", error.Message);
        Assert.Contains("512 bytes", error.Message);
    }

    [Theory]
    [InlineData(MicrostructureDatasetFile.StackKey)]
    [InlineData(MicrostructureDatasetFile.GenerationKey)]
    public async Task GivenAFileWithoutOneMetadataKey_WhenRead_ThenTheErrorNamesTheKey(string key)
    {
        using var stream = await HandMadeDatasetFile.WriteAsync(omitMetadata: key);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => MicrostructureDatasetFile.ReadAsync(stream));
        Assert.Contains($"no '{key}' metadata", error.Message);
    }

    [Fact]
    public async Task GivenAHandMadeFileWithTheRightSchema_WhenRead_ThenItsRowIsDecoded()
    {
        // Guards the hand-made files above: they fail only for the reason each test injects.
        using var stream = await HandMadeDatasetFile.WriteAsync();
        var dataset = await MicrostructureDatasetFile.ReadAsync(stream);
        var row = Assert.Single(dataset.Records);
        Assert.Equal(0.5, row.Absorption);
        Assert.Equal([0.4, 0.6], row.WavelengthAbsorptions);
    }

    [Fact]
    public async Task GivenARecordWithTooFewWavelengths_WhenWritten_ThenTheWriterRefusesIt()
    {
        var dataset = CreateDataset(count: 2, rowGroupSize: 2);
        var bad = dataset with { Records = [dataset.Records[0] with { WavelengthAbsorptions = [0.1] }] };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => MicrostructureDatasetFile.WriteAsync(new MemoryStream(), bad));
        Assert.Contains("1 wavelength absorptions; the stack has 2", error.Message);
    }

    internal static void AssertSameDataset(MicrostructureDataset expected, MicrostructureDataset actual)
    {
        Assert.Equal(OpticalStackFile.ToJson(expected.Stack), OpticalStackFile.ToJson(actual.Stack));
        Assert.Equal(expected.Generation, actual.Generation);
        Assert.Equal(expected.Records.Count, actual.Records.Count);
        for (int i = 0; i < expected.Records.Count; i++)
        {
            var e = expected.Records[i];
            var a = actual.Records[i];
            Assert.Equal(e.Id, a.Id);
            Assert.Equal(e.Parameters, a.Parameters);
            Assert.Equal(e.Seed, a.Seed);
            Assert.Equal(e.Absorption, a.Absorption);
            Assert.Equal(e.Map.Size, a.Map.Size);
            Assert.True(e.Map.Pixels.SequenceEqual(a.Map.Pixels), $"row {e.Id}: maps differ");
            Assert.Equal(e.WavelengthAbsorptions, a.WavelengthAbsorptions);
        }
    }

    private static MicrostructureDataset CreateDataset(int count, int rowGroupSize)
    {
        var fakes = new DatasetFakes();
        var options = DatasetFakes.Options(count, rowGroupSize: rowGroupSize) with
        {
            Ranges = new GrfParameterRanges { Family = SpectralDensityFamily.Uniform, StdWavenumber = new(1, 1.5) },
        };
        var sampler = new GrfParameterSampler(options.Seed, options.Ranges);
        var records = Enumerable.Range(0, count).Select(i =>
        {
            var sample = sampler.Sample(i);
            var map = DatasetFakes.Generate(sample.Parameters, sample.Seed);
            var response = fakes.Simulate(map);
            return new MicrostructureRecord(i, sample.Parameters, sample.Seed, response.Absorption, map,
                response.Wavelengths.Select(w => w.PatternedLayerAbsorptance).ToArray());
        }).ToArray();
        return new MicrostructureDataset(options.Stack, DatasetGenerationInfo.From(options), records);
    }
}
