namespace MlNetInverse.ML.Parquet;

/// <summary>How <see cref="InverseCatalog.SaveAsParquet(Microsoft.ML.IDataView, string, ParquetSaveOptions?)"/> writes a data view.</summary>
public sealed record ParquetSaveOptions
{
    /// <summary>Default <see cref="RowGroupSize"/>: 1024 rows.</summary>
    public const int DefaultRowGroupSize = 1024;

    /// <summary>
    /// Rows per Parquet row group, in rows. Default 1024. A reader holds one row group of its columns in memory,
    /// so for 4096-float rows 1024 rows are 16 MB.
    /// </summary>
    public int RowGroupSize { get; init; } = DefaultRowGroupSize;

    /// <summary>
    /// Names of the columns to write, in this order. Default null: every visible column (then every one must have
    /// a supported type: Single, Double, Int32, Int64, Boolean, Text, or a Vector of Single, Double, Int32, Int64).
    /// </summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>Key/value metadata stored in the file footer (e.g. what produced the data). Default none.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
