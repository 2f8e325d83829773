using Microsoft.ML;

namespace MlNetInverse.ML.Data;

/// <summary>
/// A lazily read <see cref="IDataView"/> over a file stored in row groups (Parquet): a cursor holds one row group of
/// its active columns in memory at a time, so files larger than memory stream through. Not shuffleable: trainers
/// that need shuffling cache it first (mlContext.Data.Cache).
/// </summary>
internal sealed class RowGroupDataView : IDataView
{
    private readonly Func<IRowGroupSource> _open;
    private readonly long _rowCount;

    /// <param name="schema">Columns in the order <see cref="IRowGroupSource.ReadRowGroup"/> returns them.</param>
    /// <param name="rowCount">Rows in the file.</param>
    /// <param name="open">Opens a fresh source for one cursor.</param>
    public RowGroupDataView(DataViewSchema schema, long rowCount, Func<IRowGroupSource> open)
    {
        Schema = schema;
        _rowCount = rowCount;
        _open = open;
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => false;

    public long? GetRowCount() => _rowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = new bool[Schema.Count];
        foreach (var column in columnsNeeded ?? [])
        {
            if (column.Index < 0 || column.Index >= Schema.Count || Schema[column.Index].Name != column.Name)
                throw new ArgumentException($"Column '{column.Name}' does not belong to this data view.", nameof(columnsNeeded));
            active[column.Index] = true;
        }
        return new RowGroupCursor(Schema, active, _open());
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
