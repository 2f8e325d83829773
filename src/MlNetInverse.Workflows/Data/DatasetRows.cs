using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML.Data;
using MlNetInverse.Physics.Datasets;

namespace MlNetInverse.Workflows.Data;

/// <summary>
/// Dataset records as an ML.NET data view with the dataset's Id (Int64), Image (Vector&lt;Single, S*S&gt;) and
/// Absorption (Single) columns; the single-stage train commands leave the Id out, so the input schema saved in their
/// model zips stays Image and Absorption.
/// </summary>
internal static class DatasetRows
{
    /// <summary>One row: the sample id, the map's pixels (x-major) and its absorption label.</summary>
    public sealed class Row
    {
        public long Id { get; set; }

        public float[] Image { get; set; } = [];

        public float Absorption { get; set; }
    }

    /// <summary>The records at <paramref name="indices"/>, in that order; without the Id column when <paramref name="withIds"/> is false.</summary>
    public static IDataView View(MLContext mlContext, IReadOnlyList<MicrostructureRecord> records, IReadOnlyList<int> indices, bool withIds = true)
    {
        int size = records[0].Map.Size;
        var rows = indices.Select(i => new Row { Id = records[i].Id, Image = records[i].Map.ToArray(), Absorption = (float)records[i].Absorption }).ToArray();
        // The image length is only known at run time, so the vector size comes from a schema definition, not an attribute.
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Image)].ColumnType = MicrostructureColumns.ImageType(size);
        if (!withIds) schema.Remove(schema[nameof(Row.Id)]);
        return mlContext.Data.LoadFromEnumerable(rows, schema);
    }
}
