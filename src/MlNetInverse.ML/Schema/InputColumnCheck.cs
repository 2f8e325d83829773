using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetInverse.ML.Schema;

/// <summary>
/// Schema checks shared by every estimator and transformer of this library, so a wrong input fails at Fit or
/// GetOutputSchema with one message naming the column, the expected and the actual type, e.g.
/// "Input column 'Image' has type Vector&lt;Single, 100&gt;; expected Vector&lt;Single, 4096&gt;."
/// Errors are <see cref="ArgumentOutOfRangeException"/> for parameter "inputSchema", as ML.NET's own schema mismatches.
/// </summary>
internal static class InputColumnCheck
{
    private const string SchemaParameter = "inputSchema";

    /// <summary>Requires column <paramref name="name"/> of exactly <paramref name="expected"/>.</summary>
    public static DataViewSchema.Column Require(DataViewSchema schema, string name, DataViewType expected, string role = "Input")
        => Require(schema, name, expected.Equals, TypeName(expected), role);

    /// <summary>
    /// Requires column <paramref name="name"/> whose type <paramref name="accepts"/> allows;
    /// <paramref name="expectedDescription"/> is what the message shows as expected (e.g. "a known-size Vector&lt;Single&gt;").
    /// </summary>
    public static DataViewSchema.Column Require(DataViewSchema schema, string name, Func<DataViewType, bool> accepts, string expectedDescription, string role = "Input")
    {
        ArgumentNullException.ThrowIfNull(schema, SchemaParameter);
        var column = schema.GetColumnOrNull(name)
            ?? throw Missing(role, name, schema.Where(c => !c.IsHidden).Select(c => c.Name));
        if (!accepts(column.Type))
            throw Mismatch(role, name, TypeName(column.Type), expectedDescription);
        return column;
    }

    /// <summary>
    /// Estimator-side check on a <see cref="SchemaShape"/>, which knows vector kind and item type but not vector
    /// sizes (the size is checked by the full-schema overloads at Fit and on the transformer).
    /// </summary>
    public static SchemaShape.Column Require(SchemaShape shape, string name, SchemaShape.Column.VectorKind kind, DataViewType itemType, string role = "Input")
    {
        ArgumentNullException.ThrowIfNull(shape, SchemaParameter);
        if (!shape.TryFindColumn(name, out SchemaShape.Column column))
            throw Missing(role, name, shape.Select(c => c.Name));
        if (column.Kind != kind || !column.ItemType.Equals(itemType) || column.IsKey)
            throw Mismatch(role, name, Describe(column.Kind, column.ItemType, column.IsKey), Describe(kind, itemType, isKey: false));
        return column;
    }

    /// <summary>How a <see cref="SchemaShape"/> column is named in messages.</summary>
    public static string Describe(SchemaShape.Column.VectorKind kind, DataViewType itemType, bool isKey)
    {
        string item = isKey ? $"Key<{TypeName(itemType)}>" : TypeName(itemType);
        return kind switch
        {
            SchemaShape.Column.VectorKind.Scalar => item,
            SchemaShape.Column.VectorKind.Vector => $"Vector<{item}> (known size)",
            _ => $"Vector<{item}> (variable size)",
        };
    }

    /// <summary>The <see cref="SchemaShape"/> of a full schema (ML.NET's factory for it is internal).</summary>
    public static SchemaShape ShapeOf(DataViewSchema schema) => SchemaShape.Create(schema);

    /// <summary>ML.NET's own type name, e.g. "Vector&lt;Single, 4096&gt;".</summary>
    public static string TypeName(DataViewType type) => type.ToString() ?? type.RawType.Name;

    private static ArgumentOutOfRangeException Missing(string role, string name, IEnumerable<string> present)
    {
        var names = present.Distinct().ToArray();
        string list = names.Length == 0 ? "no columns" : string.Join(", ", names.Select(n => $"'{n}'"));
        return new ArgumentOutOfRangeException(SchemaParameter, $"{role} column '{name}' was not found; the input has {list}.");
    }

    private static ArgumentOutOfRangeException Mismatch(string role, string name, string actual, string expected) =>
        new(SchemaParameter, $"{role} column '{name}' has type {actual}; expected {expected}.");
}
