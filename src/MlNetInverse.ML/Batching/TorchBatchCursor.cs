using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML.Persistence;

namespace MlNetInverse.ML.Batching;

/// <summary>
/// Cursor of <see cref="TorchBatchDataView"/> with at least one output column active: it moves the input cursor up
/// to a batch ahead, copying the active input values of each row into <see cref="RowSlots"/> and the torch input into
/// a <see cref="TorchBatch"/>, runs one forward pass, then serves the buffered rows.
/// </summary>
internal sealed class TorchBatchCursor : DataViewRowCursor
{
    private readonly TorchTransformerBase _parent;
    private readonly DataViewRowCursor _source;
    private readonly bool[] _active;
    private readonly int _sourceCount;
    private readonly TorchBatch _batch;
    private readonly Action<Span<float>> _readInput;
    private readonly RowSlots?[] _slots;
    private readonly ValueGetter<DataViewRowId> _sourceId;
    private readonly DataViewRowId[] _ids;
    private int _filled;
    private int _slot = -1;
    private long _position = -1;
    private bool _exhausted;

    public TorchBatchCursor(TorchTransformerBase parent, DataViewSchema schema, DataViewRowCursor source, bool[] active, int inputIndex)
    {
        _parent = parent;
        Schema = schema;
        _source = source;
        _active = active;
        _sourceCount = source.Schema.Count;
        _batch = parent.CreateBatch(Math.Max(1, parent.BatchSize));
        _readInput = InputReader.Create(source, inputIndex, parent.InputType);
        _slots = new RowSlots?[_sourceCount];
        for (int i = 0; i < _sourceCount; i++)
            if (active[i]) _slots[i] = RowSlots.Create(source, source.Schema[i], _batch.Capacity);
        _sourceId = source.GetIdGetter();
        _ids = new DataViewRowId[_batch.Capacity];
    }

    public override DataViewSchema Schema { get; }

    public override long Position => _position;

    public override long Batch => 0;

    public override bool MoveNext()
    {
        if (_slot + 1 < _filled)
        {
            _slot++;
            _position++;
            return true;
        }
        if (_exhausted || !Fill()) return false;
        _slot = 0;
        _position++;
        return true;
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = _ids[CurrentSlot()];

    public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < 0 || column.Index >= _active.Length || !_active[column.Index])
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor.");
        if (column.Index < _sourceCount)
            return _slots[column.Index]!.Getter<TValue>(CurrentSlot);
        int output = column.Index - _sourceCount;
        var type = _parent.OutputColumns[output].Type;
        if (typeof(TValue) != type.RawType)
            throw new InvalidOperationException($"Column '{column.Name}' holds {type.RawType.Name} values, not {typeof(TValue).Name}.");
        Delegate getter;
        if (type == BooleanDataViewType.Instance)
            getter = (ValueGetter<bool>)((ref bool value) => value = _batch.BooleanOf(output, CurrentSlot()));
        else if (type is not VectorDataViewType)
            getter = (ValueGetter<float>)((ref float value) => value = _batch.SinglesOf(output, CurrentSlot())[0]);
        else if (TorchColumnType.ItemType(type) == NumberDataViewType.Int32)
            getter = (ValueGetter<VBuffer<int>>)((ref VBuffer<int> value) => InputReader.Write(_batch.Int32sOf(output, CurrentSlot()), ref value));
        else
            getter = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => InputReader.Write(_batch.SinglesOf(output, CurrentSlot()), ref value));
        return (ValueGetter<TValue>)getter;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _source.Dispose();
        base.Dispose(disposing);
    }

    private int CurrentSlot()
    {
        if (_slot < 0 || _slot >= _filled) throw new InvalidOperationException("The cursor is not on a row; call MoveNext first.");
        return _slot;
    }

    /// <summary>Reads the next batch of input rows and maps them; false when the input has no rows left.</summary>
    private bool Fill()
    {
        int rows = 0;
        while (rows < _batch.Capacity && _source.MoveNext())
        {
            foreach (var slots in _slots) slots?.Capture(rows);
            _sourceId(ref _ids[rows]);
            _readInput(_batch.InputOf(rows));
            rows++;
        }
        if (rows < _batch.Capacity) _exhausted = true;
        _filled = 0;
        _slot = -1;
        if (rows == 0) return false;
        _batch.Reset(rows);
        _parent.RunForward(_batch);
        _filled = rows;
        return true;
    }
}
