using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML.Persistence;

namespace MlNetInverse.ML.Batching;

/// <summary>
/// The data view a <see cref="TorchTransformerBase"/> returns from Transform: the input's columns (indices kept;
/// a column named like an output becomes hidden) followed by the output columns. Its cursor reads up to
/// <see cref="TorchTransformerBase.BatchSize"/> input rows ahead, keeps the requested input values of those rows, runs
/// one forward pass for all of them and then serves the rows one by one, so a TorchSharp model sees batches instead of
/// single rows. Shuffled cursors work the same way (the batch is whatever rows the input cursor yields next).
/// </summary>
internal sealed class TorchBatchDataView : IDataView
{
    private readonly TorchTransformerBase _parent;
    private readonly IDataView _source;
    private readonly int _inputIndex;

    public TorchBatchDataView(TorchTransformerBase parent, IDataView source)
    {
        _parent = parent;
        _source = source;
        _inputIndex = parent.FindInput(source.Schema);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(source.Schema);
        builder.AddColumns(parent.OutputColumns);
        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => _source.CanShuffle;

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[Schema.Count];
        foreach (var column in columnsNeeded)
        {
            if (column.Index < 0 || column.Index >= active.Length)
                throw new ArgumentOutOfRangeException(nameof(columnsNeeded), $"Column index {column.Index} is not in this data view's schema of {active.Length} columns.");
            active[column.Index] = true;
        }
        int sourceCount = _source.Schema.Count;
        bool mapping = active.Skip(sourceCount).Any(a => a);
        var sourceColumns = _source.Schema.Where(c => active[c.Index] || (mapping && c.Index == _inputIndex));
        var cursor = _source.GetRowCursor(sourceColumns, rand);
        return mapping
            ? new TorchBatchCursor(_parent, Schema, cursor, active, _inputIndex)
            : new PassThroughCursor(Schema, cursor, active);
    }

    /// <summary>One cursor: batching needs the rows of a batch in one place, and consumers accept a set of one.</summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    /// <summary>When no output column is requested the input rows pass through untouched, without buffering.</summary>
    private sealed class PassThroughCursor : DataViewRowCursor
    {
        private readonly DataViewRowCursor _source;
        private readonly bool[] _active;

        public PassThroughCursor(DataViewSchema schema, DataViewRowCursor source, bool[] active)
        {
            Schema = schema;
            _source = source;
            _active = active;
        }

        public override DataViewSchema Schema { get; }

        public override long Position => _source.Position;

        public override long Batch => _source.Batch;

        public override bool MoveNext() => _source.MoveNext();

        public override ValueGetter<DataViewRowId> GetIdGetter() => _source.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index]) throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor.");
            return _source.GetGetter<TValue>(_source.Schema[column.Index]);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _source.Dispose();
            base.Dispose(disposing);
        }
    }
}
