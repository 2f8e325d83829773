using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetInverse.ML.Data;

/// <summary>Walks an <see cref="IRowGroupSource"/> row by row, loading the next row group when the current one ends.</summary>
internal sealed class RowGroupCursor : DataViewRowCursor
{
    private readonly bool[] _active;
    private readonly IRowGroupSource _source;
    private readonly Delegate?[] _getters;
    private ColumnBuffer?[] _buffers = [];
    private int _group = -1;
    private int _rowInGroup = -1;
    private int _groupRows;
    private long _position = -1;
    private bool _done;

    public RowGroupCursor(DataViewSchema schema, bool[] active, IRowGroupSource source)
    {
        Schema = schema;
        _active = active;
        _source = source;
        _getters = new Delegate?[schema.Count];
    }

    public override DataViewSchema Schema { get; }

    public override long Position => _position;

    public override long Batch => 0;

    public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

    public override bool MoveNext()
    {
        if (_done) return false;
        while (++_rowInGroup >= _groupRows)
        {
            if (_group + 1 >= _source.RowGroupCount)
            {
                _done = true;
                _rowInGroup = -1;
                _position = -1;
                return false;
            }
            LoadGroup(++_group);
        }
        _position++;
        return true;
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!_active[column.Index])
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor; request it when creating the cursor.");
        var expected = column.Type.RawType;
        if (typeof(TValue) != expected)
            throw new InvalidOperationException($"Column '{column.Name}' holds {expected.Name} values (type {column.Type}); a getter of {typeof(TValue).Name} was requested.");
        // The getter reads the buffer current at call time, so it stays valid across row groups.
        ValueGetter<TValue> getter = (ref TValue value) =>
        {
            if (_rowInGroup < 0) throw new InvalidOperationException("The cursor is not on a row; call MoveNext first.");
            ((ValueGetter<TValue>)CurrentGetter(column.Index))(ref value);
        };
        return getter;
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() =>
        (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _source.Dispose();
        base.Dispose(disposing);
    }

    private Delegate CurrentGetter(int column) =>
        _getters[column] ??= _buffers[column]!.MakeGetter(() => _rowInGroup);

    private void LoadGroup(int index)
    {
        _buffers = _source.ReadRowGroup(index, _active);
        Array.Clear(_getters);
        // With no active column the cursor still walks the rows (e.g. to count them).
        _groupRows = checked((int)_source.RowGroupRowCount(index));
        foreach (var buffer in _buffers)
        {
            if (buffer != null && buffer.RowCount != _groupRows)
                throw new InvalidDataException($"Row group {index} has {_groupRows} rows but a column holds {buffer.RowCount}; the file is damaged.");
        }
        _rowInGroup = -1;
    }
}
