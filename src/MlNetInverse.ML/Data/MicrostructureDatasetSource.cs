using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML.Internals;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Optics;

namespace MlNetInverse.ML.Data;

/// <summary>
/// Reads a microstructure dataset file (Parquet, <see cref="MicrostructureDatasetFile"/>) row group by row group
/// into the columns of <see cref="Schema"/>.
/// </summary>
internal sealed class MicrostructureDatasetSource : IRowGroupSource
{
    private readonly MicrostructureDatasetReader _reader;

    private MicrostructureDatasetSource(MicrostructureDatasetReader reader) => _reader = reader;

    public int RowGroupCount => _reader.RowGroupCount;

    public long RowGroupRowCount(int index) => _reader.RowGroupRowCount(index);

    /// <summary>
    /// Opens <paramref name="path"/> once to check it and build the schema, then returns a lazily read data view.
    /// Errors of the dataset reader (missing file, not a dataset, wrong columns) pass through unchanged.
    /// </summary>
    public static IDataView Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        var (size, rows, stack) = SyncOverAsync.Run(async () =>
        {
            await using var reader = await MicrostructureDatasetFile.OpenAsync(fullPath);
            return (reader.Generation.Size, reader.RowCount, OpticalStackFile.ToJson(reader.Stack));
        });
        return new RowGroupDataView(Schema(size, stack), rows, () => Open(fullPath));
    }

    /// <summary>
    /// Id, Image, Absorption, Family, MeanWavenumber, StdWavenumber, VolumeFraction, Seed; the Absorption column
    /// carries the stack JSON <paramref name="stackJson"/> as annotation <see cref="MicrostructureColumns.OpticalStackAnnotation"/>.
    /// </summary>
    public static DataViewSchema Schema(int size, string? stackJson = null)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(MicrostructureColumns.Id, NumberDataViewType.Int64);
        builder.AddColumn(MicrostructureColumns.Image, MicrostructureColumns.ImageType(size));
        builder.AddColumn(MicrostructureColumns.Absorption, NumberDataViewType.Single, StackAnnotation(stackJson));
        builder.AddColumn(MicrostructureColumns.Family, TextDataViewType.Instance);
        builder.AddColumn(MicrostructureColumns.MeanWavenumber, NumberDataViewType.Single);
        builder.AddColumn(MicrostructureColumns.StdWavenumber, NumberDataViewType.Single);
        builder.AddColumn(MicrostructureColumns.VolumeFraction, NumberDataViewType.Single);
        builder.AddColumn(MicrostructureColumns.Seed, NumberDataViewType.Int64);
        return builder.ToSchema();
    }

    /// <summary>The annotations of an absorption column that carries <paramref name="stackJson"/>, or null for none.</summary>
    internal static DataViewSchema.Annotations? StackAnnotation(string? stackJson)
    {
        if (stackJson is null) return null;
        var annotations = new DataViewSchema.Annotations.Builder();
        var text = stackJson.AsMemory();
        annotations.Add(MicrostructureColumns.OpticalStackAnnotation, TextDataViewType.Instance, (ref ReadOnlyMemory<char> value) => value = text);
        return annotations.ToAnnotations();
    }

    /// <summary>The stack JSON annotation of <paramref name="column"/>, or null when it has none.</summary>
    internal static string? StackJsonOf(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull(MicrostructureColumns.OpticalStackAnnotation) is not { } annotation
            || annotation.Type != TextDataViewType.Instance) return null;
        ReadOnlyMemory<char> value = default;
        column.Annotations.GetValue(MicrostructureColumns.OpticalStackAnnotation, ref value);
        return value.Length == 0 ? null : value.ToString();
    }

    public ColumnBuffer?[] ReadRowGroup(int index, IReadOnlyList<bool> active)
    {
        var records = SyncOverAsync.Run(() => _reader.ReadRowGroupAsync(index));
        int pixels = _reader.Generation.Size * _reader.Generation.Size;
        ColumnBuffer? Column<T>(int column, Func<MicrostructureRecord, T> value) =>
            active[column] ? new ScalarColumnBuffer<T>(records.Select(value).ToArray()) : null;

        ColumnBuffer? image = null;
        if (active[1])
        {
            var values = new float[records.Count * pixels];
            for (int i = 0; i < records.Count; i++) records[i].Map.Pixels.CopyTo(values.AsSpan(i * pixels, pixels));
            image = VectorColumnBuffer<float>.FixedLength(values, pixels);
        }
        return
        [
            Column(0, r => r.Id),
            image,
            Column(2, r => (float)r.Absorption),
            Column(3, r => DatasetFamilyName(r).AsMemory()),
            Column(4, r => (float)r.Parameters.MeanWavenumber),
            Column(5, r => (float)r.Parameters.StdWavenumber),
            Column(6, r => (float)r.Parameters.VolumeFraction),
            Column(7, r => r.Seed),
        ];
    }

    public void Dispose() => SyncOverAsync.Run(async () => await _reader.DisposeAsync());

    private static MicrostructureDatasetSource Open(string path) =>
        new(SyncOverAsync.Run(() => MicrostructureDatasetFile.OpenAsync(path)));

    private static string DatasetFamilyName(MicrostructureRecord record) => record.Parameters.Family.ToString().ToLowerInvariant();
}
