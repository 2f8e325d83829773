using Microsoft.ML;
using Microsoft.ML.Data;
using Parquet;
using Parquet.Schema;

namespace MlNetInverse.ML.Parquet;

/// <summary>
/// Collects one data view column's values for the current row group and writes them as one Parquet column.
/// </summary>
internal abstract class ParquetColumnWriter
{
    protected ParquetColumnWriter(Field field) => Field = field;

    /// <summary>The top-level Parquet field (a data field, or a list field for vectors).</summary>
    public Field Field { get; }

    /// <summary>Reads the cursor's current row into the pending row group.</summary>
    public abstract void Append();

    /// <summary>Writes the pending values as the column of <paramref name="group"/> and clears them.</summary>
    public abstract Task FlushAsync(ParquetRowGroupWriter group);

    /// <summary>
    /// The writer for <paramref name="column"/>, reading from <paramref name="cursor"/>, or null when Parquet has no
    /// mapping for its type. The Parquet field is named <paramref name="fieldName"/>, or like the column when null.
    /// </summary>
    public static ParquetColumnWriter? TryCreate(DataViewRowCursor cursor, DataViewSchema.Column column, string? fieldName = null)
    {
        var type = column.Type;
        string name = fieldName ?? column.Name;
        if (type is VectorDataViewType vector)
        {
            var item = vector.ItemType;
            if (item == NumberDataViewType.Single) return new Vector<float>(cursor, column, name);
            if (item == NumberDataViewType.Double) return new Vector<double>(cursor, column, name);
            if (item == NumberDataViewType.Int32) return new Vector<int>(cursor, column, name);
            if (item == NumberDataViewType.Int64) return new Vector<long>(cursor, column, name);
            return null;
        }
        if (type == TextDataViewType.Instance) return new Text(cursor, column, name);
        if (type == NumberDataViewType.Single) return new Scalar<float>(cursor, column, name);
        if (type == NumberDataViewType.Double) return new Scalar<double>(cursor, column, name);
        if (type == NumberDataViewType.Int32) return new Scalar<int>(cursor, column, name);
        if (type == NumberDataViewType.Int64) return new Scalar<long>(cursor, column, name);
        if (type == BooleanDataViewType.Instance) return new Scalar<bool>(cursor, column, name);
        return null;
    }

    private sealed class Scalar<T> : ParquetColumnWriter where T : struct
    {
        private readonly ValueGetter<T> _getter;
        private readonly List<T> _values = [];

        public Scalar(DataViewRowCursor cursor, DataViewSchema.Column column, string name)
            : base(new DataField<T>(name, false)) => _getter = cursor.GetGetter<T>(column);

        public override void Append()
        {
            T value = default;
            _getter(ref value);
            _values.Add(value);
        }

        public override async Task FlushAsync(ParquetRowGroupWriter group)
        {
            await group.WriteAsync<T>((DataField)Field, _values.ToArray());
            _values.Clear();
        }
    }

    private sealed class Text : ParquetColumnWriter
    {
        private readonly ValueGetter<ReadOnlyMemory<char>> _getter;
        private readonly List<string> _values = [];

        public Text(DataViewRowCursor cursor, DataViewSchema.Column column, string name)
            : base(new DataField<string>(name, false)) => _getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);

        public override void Append()
        {
            ReadOnlyMemory<char> value = default;
            _getter(ref value);
            _values.Add(value.ToString());
        }

        public override async Task FlushAsync(ParquetRowGroupWriter group)
        {
            await group.WriteAsync((DataField)Field, _values);
            _values.Clear();
        }
    }

    /// <summary>
    /// A list column with required elements: every element has the maximum definition level, a repetition level
    /// of 0 starts a row; an empty vector is one level entry one definition level short, carrying no value.
    /// </summary>
    private sealed class Vector<T> : ParquetColumnWriter where T : struct
    {
        private readonly ValueGetter<VBuffer<T>> _getter;
        private readonly DataField _element;
        private readonly List<T> _values = [];
        private readonly List<int> _definition = [];
        private readonly List<int> _repetition = [];
        private VBuffer<T> _row;
        private T[] _dense = [];

        public Vector(DataViewRowCursor cursor, DataViewSchema.Column column, string name)
            : base(new ListField(name, new DataField<T>("element", false)))
        {
            _getter = cursor.GetGetter<VBuffer<T>>(column);
            _element = (DataField)((ListField)Field).Item;
        }

        public override void Append()
        {
            _getter(ref _row);
            int length = _row.Length;
            int max = _element.MaxDefinitionLevel;
            if (length == 0)
            {
                _definition.Add(max - 1);
                _repetition.Add(0);
                return;
            }
            if (_dense.Length < length) _dense = new T[length];
            _row.CopyTo(_dense);
            for (int i = 0; i < length; i++)
            {
                _values.Add(_dense[i]);
                _definition.Add(max);
                _repetition.Add(i == 0 ? 0 : 1);
            }
        }

        public override async Task FlushAsync(ParquetRowGroupWriter group)
        {
            await group.WriteAllPartsAsync<T>(_element, _values.ToArray(), _definition.ToArray(), _repetition.ToArray(), default);
            _values.Clear();
            _definition.Clear();
            _repetition.Clear();
        }
    }
}
