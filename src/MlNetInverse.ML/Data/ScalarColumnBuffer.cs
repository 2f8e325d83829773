using Microsoft.ML;

namespace MlNetInverse.ML.Data;

/// <summary>A scalar column: one value per row (numbers, booleans, text as ReadOnlyMemory&lt;char&gt;).</summary>
internal sealed class ScalarColumnBuffer<T> : ColumnBuffer
{
    private readonly T[] _values;

    public ScalarColumnBuffer(T[] values) => _values = values;

    public override int RowCount => _values.Length;

    public override Type ValueType => typeof(T);

    public override Delegate MakeGetter(Func<int> row)
    {
        ValueGetter<T> getter = (ref T value) => value = _values[row()];
        return getter;
    }
}
