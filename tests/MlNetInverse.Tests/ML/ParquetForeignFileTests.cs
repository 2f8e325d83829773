using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.Tests.Cli;
using Parquet;
using Parquet.Schema;

namespace MlNetInverse.Tests.ML;

/// <summary>
/// Parquet files written by other tools (pandas/pyarrow mark columns and list elements optional by default):
/// nulls in floating-point columns read as NaN, empty lists as empty vectors, nulls elsewhere fail naming the column.
/// </summary>
public sealed class ParquetForeignFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenOptionalFloatColumns_WhenLoaded_ThenNullsAreNaNAndEmptyListsAreEmptyVectors()
    {
        var score = new DataField<float>("score", true);
        var latent = new ListField("latent", new DataField<float>("element", true));
        var path = Write(new ParquetSchema(score, latent), async group =>
        {
            await group.WriteAsync<float>(score, new float?[] { 1f, null, 3f });
            var element = (DataField)latent.Item;
            int max = element.MaxDefinitionLevel;
            // rows: [1, null, 3], [], [4]; only present elements carry values
            await group.WriteAllPartsAsync<float>(element, new float[] { 1, 3, 4 },
                new[] { max, max - 1, max, max - 2, max }, new[] { 0, 1, 1, 0, 0 }, default);
        });

        var data = new MLContext().Inverse().LoadFromParquet(path);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single), data.Schema["latent"].Type);
        Assert.Equal([1f, float.NaN, 3f], data.GetColumn<float>("score"));
        Assert.Equal([[1f, float.NaN, 3f], [], [4f]], data.GetColumn<float[]>("latent"));
    }

    [Fact]
    public void GivenAnOptionalIntegerColumnWithANull_WhenRead_ThenTheErrorNamesTheColumnAndRow()
    {
        var id = new DataField<long>("id", true);
        var path = Write(new ParquetSchema(id), group => group.WriteAsync<long>(id, new long?[] { 5, null }));
        var data = new MLContext().Inverse().LoadFromParquet(path);

        var error = Assert.Throws<InvalidDataException>(() => data.GetColumn<long>("id").ToArray());

        Assert.Contains("column 'id' has a null at row 1 of the row group; Int64 has no missing value.", error.Message);
    }

    private string Write(ParquetSchema schema, Func<ParquetRowGroupWriter, Task> write)
    {
        var path = _folder.File($"{Guid.NewGuid():N}.parquet");
        Task.Run(async () =>
        {
            await using var stream = File.Create(path);
            await using var writer = await ParquetWriter.CreateAsync(schema, stream);
            using var group = writer.CreateRowGroup();
            await write(group);
        }).GetAwaiter().GetResult();
        return path;
    }
}
