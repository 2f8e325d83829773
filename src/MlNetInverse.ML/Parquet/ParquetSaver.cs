using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML.Internals;
using MlNetInverse.ML.Schema;
using MlNetInverse.Physics.Storage;
using Parquet;
using Parquet.Schema;

namespace MlNetInverse.ML.Parquet;

/// <summary>
/// Writes a data view to Parquet (Snappy) with Parquet.Net's low-level writer, one row group per
/// <see cref="ParquetSaveOptions.RowGroupSize"/> rows, streaming: only one row group is held in memory. Known-size
/// vector columns record their size (<see cref="ParquetVectorSizes"/>) so <see cref="ParquetLoader"/> gives back
/// the same types.
/// </summary>
internal static class ParquetSaver
{
    /// <summary>Writes to <paramref name="path"/> through a temp file and a rename.</summary>
    public static void Save(IDataView data, string path, ParquetSaveOptions options) =>
        AtomicFile.Write(path, stream => Save(data, stream, options));

    /// <summary>Writes to a writable stream (left open).</summary>
    public static void Save(IDataView data, Stream stream, ParquetSaveOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        if (options.RowGroupSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.RowGroupSize, $"RowGroupSize must be at least 1 row; got {options.RowGroupSize}.");
        var columns = SelectColumns(data.Schema, options.Columns);
        using var cursor = data.GetRowCursor(columns);
        var writers = columns.Select(c => ParquetColumnWriter.TryCreate(cursor, c)
            ?? throw new ArgumentOutOfRangeException(nameof(data), $"Column '{c.Name}' has type {InputColumnCheck.TypeName(c.Type)}, which Parquet saving does not support; expected Single, Double, Int32, Int64, Boolean, Text or a Vector of Single, Double, Int32, Int64. Leave it out with ParquetSaveOptions.Columns.")).ToArray();

        var metadata = new Dictionary<string, string>(options.Metadata ?? new Dictionary<string, string>());
        foreach (var column in columns)
            if (column.Type is VectorDataViewType { IsKnownSize: true } vector) metadata[ParquetVectorSizes.Key(column.Name)] = vector.Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Write(cursor, writers, stream, options.RowGroupSize, metadata);
    }

    /// <summary>
    /// Streams every row of <paramref name="cursor"/> through <paramref name="writers"/> into Parquet row groups of
    /// <paramref name="rowGroupSize"/> rows, with <paramref name="metadata"/> in the footer; the stream stays open.
    /// <paramref name="afterRow"/> (default none) runs after every row, e.g. for progress or a cancellation check.
    /// </summary>
    internal static void Write(DataViewRowCursor cursor, IReadOnlyList<ParquetColumnWriter> writers, Stream stream, int rowGroupSize,
        IReadOnlyDictionary<string, string> metadata, Action? afterRow = null)
    {
        if (rowGroupSize < 1) throw new ArgumentOutOfRangeException(nameof(rowGroupSize), rowGroupSize, $"RowGroupSize must be at least 1 row; got {rowGroupSize}.");
        var all = writers.ToArray();
        SyncOverAsync.Run(async () =>
        {
            var schema = new ParquetSchema(all.Select(w => w.Field).ToArray());
            var parquetOptions = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };
            await using var writer = await ParquetWriter.CreateAsync(schema, stream, parquetOptions, append: false);
            writer.CustomMetadata = metadata.ToDictionary(p => p.Key, p => p.Value);
            int pending = 0;
            while (cursor.MoveNext())
            {
                foreach (var column in all) column.Append();
                afterRow?.Invoke();
                if (++pending == rowGroupSize)
                {
                    await FlushAsync(writer, all);
                    pending = 0;
                }
            }
            if (pending > 0) await FlushAsync(writer, all);
        });
    }

    private static async Task FlushAsync(ParquetWriter writer, ParquetColumnWriter[] columns)
    {
        using var group = writer.CreateRowGroup();
        foreach (var column in columns) await column.FlushAsync(group);
        group.CompleteValidate();
    }

    private static DataViewSchema.Column[] SelectColumns(DataViewSchema schema, IReadOnlyList<string>? names)
    {
        if (names == null) return schema.Where(c => !c.IsHidden).ToArray();
        if (names.Count == 0) throw new ArgumentException("ParquetSaveOptions.Columns is empty; name at least one column or leave it null for all.", nameof(names));
        var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null) throw new ArgumentException($"ParquetSaveOptions.Columns names '{duplicate.Key}' twice.", nameof(names));
        return names.Select(n => InputColumnCheck.Require(schema, n, _ => true, "any type")).ToArray();
    }
}
