using Microsoft.ML.Data;

namespace MlNetInverse.ML.Parquet;

/// <summary>
/// A column <see cref="InverseCatalog.LoadFromParquet(string, ParquetColumn[])"/> must find in a Parquet file.
/// </summary>
/// <param name="Name">The column's name in the file (top-level field).</param>
/// <param name="Type">
/// The data view type it must have: Single, Double, Int32, Int64, Boolean, Text, or a Vector of Single, Double,
/// Int32 or Int64 for a list column (known size: every row must have that many values). Default null: the file's
/// own type (a list column is a known-size vector when the file records its size, else variable-size).
/// </param>
public sealed record ParquetColumn(string Name, DataViewType? Type = null);
