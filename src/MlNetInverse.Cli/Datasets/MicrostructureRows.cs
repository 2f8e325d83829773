using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML.Data;
using MlNetInverse.Physics.Datasets;

namespace MlNetInverse.Cli.Datasets;

/// <summary>Dataset records as an ML.NET data view with the dataset's Image (Vector&lt;Single, S*S&gt;) and Absorption (Single) columns.</summary>
internal static class MicrostructureRows
{
    /// <summary>One row: the map's pixels (x-major) and its absorption label.</summary>
    public sealed class Row
    {
        public float[] Image { get; set; } = [];

        public float Absorption { get; set; }
    }

    /// <summary>The records at <paramref name="indices"/>, in that order.</summary>
    public static IDataView View(MLContext mlContext, IReadOnlyList<MicrostructureRecord> records, IReadOnlyList<int> indices)
    {
        int size = records[0].Map.Size;
        var rows = indices.Select(i => new Row { Image = records[i].Map.ToArray(), Absorption = (float)records[i].Absorption }).ToArray();
        // The image length is only known at run time, so the vector size comes from a schema definition, not an attribute.
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Image)].ColumnType = MicrostructureColumns.ImageType(size);
        return mlContext.Data.LoadFromEnumerable(rows, schema);
    }
}
