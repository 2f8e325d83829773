namespace MlNetInverse.ML.Data;

/// <summary>
/// An open file read one row group at a time. Each cursor opens its own source, so cursors never share a stream.
/// </summary>
internal interface IRowGroupSource : IDisposable
{
    /// <summary>Number of row groups.</summary>
    int RowGroupCount { get; }

    /// <summary>Rows in row group <paramref name="index"/>, without reading it.</summary>
    long RowGroupRowCount(int index);

    /// <summary>
    /// Reads row group <paramref name="index"/>: one buffer per schema column whose <paramref name="active"/> flag
    /// is set (null for inactive columns), each with the group's row count.
    /// </summary>
    ColumnBuffer?[] ReadRowGroup(int index, IReadOnlyList<bool> active);
}
