using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Optics;
using Parquet;
using Parquet.Schema;

namespace MlNetInverse.Tests.Physics.Datasets;

/// <summary>
/// Writes a one-row dataset with Parquet.Net directly (not through the product writer), with one defect injected
/// on request, to test the reader's error messages.
/// </summary>
internal static class HandMadeDatasetFile
{
    public static async Task<MemoryStream> WriteAsync(string? omit = null, bool idAsDouble = false, int blobBytes = 512, string? omitMetadata = null)
    {
        var element = new DataField<double>("element", false);
        var family = new DataField<string>("family", false);
        var microstructure = new DataField<byte[]>("microstructure", false);
        var columns = new List<(Field Field, Func<ParquetRowGroupWriter, Task> Write)>
        {
            idAsDouble ? Scalar(new DataField<double>("id", false), 0.0) : Scalar(new DataField<long>("id", false), 0L),
            (family, g => g.WriteAsync(family, ["ring"])),
            Scalar(new DataField<double>("mean_wavenumber", false), 5.0),
            Scalar(new DataField<double>("std_wavenumber", false), 1.0),
            Scalar(new DataField<double>("volume_fraction", false), 0.5),
            Scalar(new DataField<long>("seed", false), 123L),
            Scalar(new DataField<double>("absorption", false), 0.5),
            (microstructure, g => g.WriteAsync(microstructure, [new byte[blobBytes]])),
            (new ListField("wavelength_absorption", element),
                g => g.WriteAllPartsAsync<double>(element, new[] { 0.4, 0.6 }, new[] { 2, 2 }, new[] { 0, 1 }, default)),
        };
        columns.RemoveAll(c => c.Field.Name == omit);

        var options = DatasetFakes.Options(1, rowGroupSize: 1);
        var metadata = new Dictionary<string, string>
        {
            [MicrostructureDatasetFile.StackKey] = OpticalStackFile.ToJson(options.Stack),
            [MicrostructureDatasetFile.GenerationKey] = DatasetMetadataJson.ToJson(DatasetGenerationInfo.From(options)),
        };
        if (omitMetadata is not null) metadata.Remove(omitMetadata);

        var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => c.Field)), stream))
        {
            writer.CustomMetadata = metadata;
            using var group = writer.CreateRowGroup();
            foreach (var column in columns) await column.Write(group);
        }
        stream.Position = 0;
        return stream;
    }

    private static (Field, Func<ParquetRowGroupWriter, Task>) Scalar<T>(DataField<T> field, T value) where T : struct =>
        (field, g => g.WriteAsync<T>(field, new[] { value }));
}
