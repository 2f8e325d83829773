using Microsoft.ML;
using Microsoft.ML.Data;
using Parquet.Schema;

namespace MlNetInverse.ML.Parquet;

/// <summary>
/// How one top-level Parquet field becomes one data view column: the leaf field to read, the data view type, and
/// whether it is a list (vector) column.
/// </summary>
internal sealed record ParquetColumnBinding(string Name, DataField Leaf, bool IsList, DataViewType Type)
{
    /// <summary>Element type of the column (the item type for vectors).</summary>
    public DataViewType ItemType => Type is VectorDataViewType vector ? vector.ItemType : Type;

    /// <summary>Known vector size, or 0 for scalars and variable-size vectors.</summary>
    public int VectorSize => Type is VectorDataViewType vector ? vector.Size : 0;

    /// <summary>
    /// The binding of a top-level field, or null with <paramref name="reason"/> when a data view cannot hold it
    /// (binary, dates, structs, maps, nested lists).
    /// </summary>
    public static ParquetColumnBinding? TryCreate(Field field, int? vectorSize, out string reason)
    {
        reason = Describe(field);
        switch (field)
        {
            case ListField { Item: DataField item } list when item.MaxRepetitionLevel == 1:
                var element = ItemTypeOf(item.ClrType);
                if (element == null || element == TextDataViewType.Instance) return null;
                return new ParquetColumnBinding(list.Name, item, IsList: true, new VectorDataViewType((PrimitiveDataViewType)element, vectorSize ?? 0));
            case DataField data when data.MaxRepetitionLevel == 0:
                var type = ItemTypeOf(data.ClrType);
                return type == null ? null : new ParquetColumnBinding(data.Name, data, IsList: false, type);
            default:
                return null;
        }
    }

    /// <summary>A short Parquet type name: int64, float, string, list&lt;float&gt;, with "optional " for nullable scalars.</summary>
    public static string Describe(Field field) => field switch
    {
        ListField { Item: DataField item } => $"list<{ClrName(item.ClrType)}>",
        ListField => "list<struct>",
        DataField data when data.MaxRepetitionLevel > 0 => $"repeated {ClrName(data.ClrType)}",
        DataField data => data.IsNullable ? $"optional {ClrName(data.ClrType)}" : ClrName(data.ClrType),
        StructField => "struct",
        MapField => "map",
        _ => field.SchemaType.ToString(),
    };

    private static DataViewType? ItemTypeOf(Type clr) =>
        clr == typeof(float) ? NumberDataViewType.Single
        : clr == typeof(double) ? NumberDataViewType.Double
        : clr == typeof(int) ? NumberDataViewType.Int32
        : clr == typeof(long) ? NumberDataViewType.Int64
        : clr == typeof(bool) ? BooleanDataViewType.Instance
        : IsString(clr) ? TextDataViewType.Instance
        : null;

    // Parquet.Net 6 reports string fields as ReadOnlyMemory<char> and binary ones as ReadOnlyMemory<byte>.
    private static bool IsString(Type clr) => clr == typeof(string) || clr == typeof(ReadOnlyMemory<char>);

    private static bool IsBinary(Type clr) => clr == typeof(byte[]) || clr == typeof(ReadOnlyMemory<byte>);

    private static string ClrName(Type clr) =>
        clr == typeof(float) ? "float"
        : clr == typeof(double) ? "double"
        : clr == typeof(int) ? "int32"
        : clr == typeof(long) ? "int64"
        : clr == typeof(bool) ? "boolean"
        : IsString(clr) ? "string"
        : IsBinary(clr) ? "binary"
        : clr.Name;
}
