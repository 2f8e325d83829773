using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Internals;
using Parquet;
using Parquet.Schema;

namespace MlNetInverse.ML.Parquet;

/// <summary>
/// Opens a Parquet file as a lazily read <see cref="IDataView"/>: scalar columns (float, double, int32, int64,
/// boolean, string) and list columns of float, double, int32, int64 (vectors). The schema is resolved once, on
/// load; every error is an <see cref="InvalidDataException"/> naming the file and the column.
/// </summary>
internal static class ParquetLoader
{
    /// <summary>Loads the file at <paramref name="path"/>; see <see cref="Load(Func{Stream}, string, IReadOnlyList{ParquetColumn}, Func{string, IReadOnlyDictionary{string, string}, DataViewSchema.Annotations})"/>.</summary>
    public static IDataView Load(string path, IReadOnlyList<ParquetColumn> columns)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"Parquet file '{path}' does not exist.", path);
        return Load(() => new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read), path, columns);
    }

    /// <summary>
    /// Loads a Parquet file that <paramref name="open"/> opens afresh for every cursor. With no
    /// <paramref name="columns"/>, every column a data view can hold is loaded (others, e.g. binary, are left out);
    /// otherwise exactly those columns, in that order, each checked against its requested type.
    /// </summary>
    /// <param name="open">Opens the file afresh.</param>
    /// <param name="source">The file's name in messages.</param>
    /// <param name="columns">The columns to load, or none for all.</param>
    /// <param name="annotate">Annotations of a column from its name and the file's key/value metadata; default none.</param>
    public static IDataView Load(Func<Stream> open, string source, IReadOnlyList<ParquetColumn> columns,
        Func<string, IReadOnlyDictionary<string, string>, DataViewSchema.Annotations?>? annotate = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var (bindings, rows, metadata) = SyncOverAsync.Run<(ParquetColumnBinding[], long, IReadOnlyDictionary<string, string>)>(async () =>
        {
            await using var stream = open();
            ParquetReader reader;
            try
            {
                reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException)
            {
                throw new InvalidDataException($"Parquet file '{source}' is not a Parquet file or is damaged ({e.Message.TrimEnd('.')}).", e);
            }
            await using (reader)
            {
                var resolved = Resolve(reader.Schema, reader.CustomMetadata, source, columns);
                return (resolved, reader.RowGroups.Sum(g => g.RowCount), reader.CustomMetadata);
            }
        });
        var builder = new DataViewSchema.Builder();
        foreach (var binding in bindings) builder.AddColumn(binding.Name, binding.Type, annotate?.Invoke(binding.Name, metadata));
        return new RowGroupDataView(builder.ToSchema(), rows, () => ParquetDataSource.Open(open, bindings, source));
    }

    private static ParquetColumnBinding[] Resolve(ParquetSchema schema, IReadOnlyDictionary<string, string> metadata, string source, IReadOnlyList<ParquetColumn> requested)
    {
        if (requested.Count == 0)
        {
            return schema.Fields
                .Select(f => ParquetColumnBinding.TryCreate(f, SizeOf(f), out _))
                .OfType<ParquetColumnBinding>()
                .ToArray();
        }
        var bindings = new ParquetColumnBinding[requested.Count];
        for (int i = 0; i < requested.Count; i++)
        {
            var (name, type) = requested[i];
            var field = schema.Fields.FirstOrDefault(f => f.Name == name)
                ?? throw new InvalidDataException($"Parquet file '{source}' has no column '{name}'; it has {string.Join(", ", schema.Fields.Select(f => $"{f.Name} {ParquetColumnBinding.Describe(f)}"))}.");
            var natural = ParquetColumnBinding.TryCreate(field, SizeOf(field), out var actual)
                ?? throw new InvalidDataException($"Parquet file '{source}': column '{name}' is {actual}, which a data view cannot hold.");
            bindings[i] = type == null ? natural : Retype(natural, type, actual, source);
        }
        return bindings;

        int? SizeOf(Field field) => field is ListField ? ParquetVectorSizes.Find(metadata, field.Name, source) : null;
    }

    /// <summary>The binding with the requested type, when the file's column can provide it.</summary>
    private static ParquetColumnBinding Retype(ParquetColumnBinding natural, DataViewType requested, string actual, string source)
    {
        bool fits = requested switch
        {
            VectorDataViewType vector => natural.IsList && vector.ItemType.Equals(natural.ItemType)
                && (natural.VectorSize == 0 || vector.Size == 0 || vector.Size == natural.VectorSize),
            _ => !natural.IsList && requested.Equals(natural.Type),
        };
        if (!fits)
            throw new InvalidDataException(
                $"Parquet file '{source}': column '{natural.Name}' is {actual}{SizeNote(natural)}; expected {ExpectedParquet(requested)} for {requested}.");
        return natural with { Type = requested };
    }

    private static string SizeNote(ParquetColumnBinding binding) => binding.VectorSize > 0 ? $" of {binding.VectorSize} values per row" : "";

    private static string ExpectedParquet(DataViewType type)
    {
        var item = type is VectorDataViewType vector ? vector.ItemType : type;
        string name = item == NumberDataViewType.Single ? "float"
            : item == NumberDataViewType.Double ? "double"
            : item == NumberDataViewType.Int32 ? "int32"
            : item == NumberDataViewType.Int64 ? "int64"
            : item == BooleanDataViewType.Instance ? "boolean"
            : item == TextDataViewType.Instance ? "string"
            : item.ToString() ?? "?";
        return type is VectorDataViewType v ? $"list<{name}>{(v.Size > 0 ? $" of {v.Size} values per row" : "")}" : name;
    }
}
