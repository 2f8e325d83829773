using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Parquet;
using MlNetInverse.ML.Schema;
using MlNetInverse.Physics.Datasets;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.ML.Latents;

/// <summary>
/// The latent Parquet file: one row per training image with columns Id (int64), Absorption (float), Latent
/// (list&lt;float&gt;, L values), optionally CodeIndices (list&lt;int32&gt;, G*G values) and any extra float columns
/// (<see cref="LatentExtractionOptions.ExtraColumnNames"/>), Snappy, written with the
/// low-level row-group writer. The footer records the vector sizes (so a load gives known-size vectors) and, when the
/// absorption column carried one, the optical stack under the dataset files' key <see cref="MicrostructureDatasetFile.StackKey"/>.
/// </summary>
internal static class LatentFile
{
    /// <summary>Footer key marking the file's content and layout version.</summary>
    public const string ContentKey = "mlnet_inverse.content";

    /// <summary>Value of <see cref="ContentKey"/> for this layout.</summary>
    public const string ContentValue = "latents/1";

    private const int ProgressEvery = 64;

    /// <summary>Checks the input columns the options name; returns them (id null when absent).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has another type; the message names it.</exception>
    public static (DataViewSchema.Column? Id, DataViewSchema.Column Absorption, DataViewSchema.Column Latent, DataViewSchema.Column? Codes)
        Columns(DataViewSchema schema, LatentExtractionOptions options)
    {
        DataViewSchema.Column? id = options.IdColumnName is { } idName && schema.GetColumnOrNull(idName) is not null
            ? InputColumnCheck.Require(schema, idName, NumberDataViewType.Int64)
            : null;
        var absorption = InputColumnCheck.Require(schema, options.AbsorptionColumnName, NumberDataViewType.Single, "Label");
        var latent = InputColumnCheck.Require(schema, options.LatentColumnName, IsVectorOf(NumberDataViewType.Single), "a known-size Vector<Single>");
        DataViewSchema.Column? codes = options.CodeIndicesColumnName is { } codeName
            ? InputColumnCheck.Require(schema, codeName, IsVectorOf(NumberDataViewType.Int32), "a known-size Vector<Int32>")
            : null;
        return (id, absorption, latent, codes);
    }

    /// <summary>The extra Single columns the options name, checked; their names must not clash with the file's own columns.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or not Single.</exception>
    /// <exception cref="ArgumentException">An extra column is named like one of the file's fixed columns.</exception>
    public static DataViewSchema.Column[] Extras(DataViewSchema schema, LatentExtractionOptions options)
    {
        var names = options.ExtraColumnNames ?? [];
        var clash = names.FirstOrDefault(n => n is MicrostructureColumns.Id or MicrostructureColumns.Absorption or MicrostructureColumns.Latent or MicrostructureColumns.CodeIndices);
        if (clash is not null)
            throw new ArgumentException($"LatentExtractionOptions.ExtraColumnNames names '{clash}', a column the latent file always has; rename it first.", nameof(options));
        return names.Distinct().Select(n => InputColumnCheck.Require(schema, n, NumberDataViewType.Single)).ToArray();
    }

    /// <summary>Writes every row of <paramref name="data"/> to <paramref name="stream"/> (left open); returns the row count.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has another type.</exception>
    /// <exception cref="OperationCanceledException">The options' token fired.</exception>
    public static long Write(IDataView data, Stream stream, LatentExtractionOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var (id, absorption, latent, codes) = Columns(data.Schema, options);
        var extras = Extras(data.Schema, options);
        var active = new[] { id, absorption, latent, codes }.OfType<DataViewSchema.Column>().Concat(extras).ToArray();
        using var cursor = data.GetRowCursor(active);
        var writers = new List<ParquetColumnWriter>
        {
            id is { } idColumn ? Writer(cursor, idColumn, MicrostructureColumns.Id) : new RowNumberColumnWriter(MicrostructureColumns.Id),
            Writer(cursor, absorption, MicrostructureColumns.Absorption),
            Writer(cursor, latent, MicrostructureColumns.Latent),
        };
        var metadata = new Dictionary<string, string>(options.Metadata ?? new Dictionary<string, string>())
        {
            [ContentKey] = ContentValue,
            [ParquetVectorSizes.Key(MicrostructureColumns.Latent)] = Text(((VectorDataViewType)latent.Type).Size),
        };
        if (codes is { } codeColumn)
        {
            writers.Add(Writer(cursor, codeColumn, MicrostructureColumns.CodeIndices));
            metadata[ParquetVectorSizes.Key(MicrostructureColumns.CodeIndices)] = Text(((VectorDataViewType)codeColumn.Type).Size);
        }
        foreach (var extra in extras) writers.Add(Writer(cursor, extra, extra.Name));
        if (MicrostructureDatasetSource.StackJsonOf(absorption) is { } stack) metadata[MicrostructureDatasetFile.StackKey] = stack;

        long rows = 0;
        ParquetSaver.Write(cursor, writers, stream, options.RowGroupSize, metadata, () =>
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            if (++rows % ProgressEvery == 0) options.Progress?.Report(rows);
        });
        options.Progress?.Report(rows);
        return rows;
    }

    /// <summary>
    /// Opens a latent file lazily. Required: Absorption (float) and Latent (list&lt;float&gt;); optional, typed when
    /// present: Id (int64) and CodeIndices (list&lt;int32&gt;). The latent size comes from the file's footer, or from
    /// <paramref name="latentDimension"/> when the file records none (then every row must have that many values).
    /// </summary>
    /// <exception cref="InvalidDataException">Not Parquet, a missing column, a column of another type, or an unknown latent size; the message names it.</exception>
    public static IDataView Load(Func<Stream> open, string source, int latentDimension)
    {
        if (latentDimension < 0) throw new ArgumentOutOfRangeException(nameof(latentDimension), latentDimension, "The latent dimension must be 0 (from the file) or positive.");
        var natural = ParquetLoader.Load(open, source, []).Schema;
        var columns = new List<ParquetColumn>();
        if (natural.GetColumnOrNull(MicrostructureColumns.Id) is not null)
            columns.Add(new ParquetColumn(MicrostructureColumns.Id, NumberDataViewType.Int64));
        columns.Add(new ParquetColumn(MicrostructureColumns.Absorption, NumberDataViewType.Single));
        var latent = natural.GetColumnOrNull(MicrostructureColumns.Latent);
        bool floats = latent?.Type is VectorDataViewType { ItemType: var item } && item == NumberDataViewType.Single;
        int recorded = floats && latent!.Value.Type is VectorDataViewType { Size: > 0 } known ? known.Size : 0;
        if (recorded > 0 && latentDimension > 0 && recorded != latentDimension)
            throw new InvalidDataException($"Latent file '{source}': column 'Latent' holds {recorded} values per row; the caller expects {latentDimension}.");
        int size = recorded > 0 ? recorded : latentDimension;
        if (floats && size == 0)
            throw new InvalidDataException($"Latent file '{source}': column 'Latent' records no vector size; pass the latent dimension (values per row) to load it.");
        columns.Add(new ParquetColumn(MicrostructureColumns.Latent, new VectorDataViewType(NumberDataViewType.Single, size)));
        if (natural.GetColumnOrNull(MicrostructureColumns.CodeIndices) is { } codes)
            columns.Add(new ParquetColumn(MicrostructureColumns.CodeIndices,
                new VectorDataViewType(NumberDataViewType.Int32, codes.Type is VectorDataViewType v ? v.Size : 0)));
        // Every other column a data view can hold comes along with its own type (e.g. extra absorption columns).
        columns.AddRange(natural.Where(c => !columns.Any(known => known.Name == c.Name) && c.Name != MicrostructureColumns.Latent)
            .Select(c => new ParquetColumn(c.Name)));
        // The stack travels on as the absorption column's annotation, as in a loaded dataset.
        return ParquetLoader.Load(open, source, columns, (name, metadata) =>
            name == MicrostructureColumns.Absorption && metadata.TryGetValue(MicrostructureDatasetFile.StackKey, out var stack)
                ? MicrostructureDatasetSource.StackAnnotation(stack)
                : null);
    }

    private static ParquetColumnWriter Writer(DataViewRowCursor cursor, DataViewSchema.Column column, string name) =>
        ParquetColumnWriter.TryCreate(cursor, column, name)
        ?? throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' has type {InputColumnCheck.TypeName(column.Type)}, which the latent file cannot hold.");

    private static Func<DataViewType, bool> IsVectorOf(DataViewType item) =>
        type => type is VectorDataViewType { IsKnownSize: true } vector && vector.ItemType.Equals(item);
}
