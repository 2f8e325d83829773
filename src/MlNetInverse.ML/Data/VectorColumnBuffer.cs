using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetInverse.ML.Data;

/// <summary>
/// A vector column stored flat: row i's values are <c>values[offsets[i] .. offsets[i + 1]]</c>. Served as dense
/// <see cref="VBuffer{T}"/>s, reusing the caller's buffer when it is large enough.
/// </summary>
internal sealed class VectorColumnBuffer<T> : ColumnBuffer
{
    private readonly T[] _values;
    private readonly int[] _offsets;

    public VectorColumnBuffer(T[] values, int[] offsets)
    {
        if (offsets.Length == 0 || offsets[^1] > values.Length)
            throw new ArgumentException("Offsets must hold row count + 1 entries within the values.", nameof(offsets));
        _values = values;
        _offsets = offsets;
    }

    /// <summary>A buffer whose rows all have <paramref name="length"/> values.</summary>
    public static VectorColumnBuffer<T> FixedLength(T[] values, int length)
    {
        int rows = length == 0 ? 0 : values.Length / length;
        var offsets = new int[rows + 1];
        for (int i = 0; i <= rows; i++) offsets[i] = i * length;
        return new VectorColumnBuffer<T>(values, offsets);
    }

    public override int RowCount => _offsets.Length - 1;

    public override Type ValueType => typeof(VBuffer<T>);

    public override Delegate MakeGetter(Func<int> row)
    {
        ValueGetter<VBuffer<T>> getter = (ref VBuffer<T> value) =>
        {
            int r = row();
            int start = _offsets[r], length = _offsets[r + 1] - start;
            var editor = VBufferEditor.Create(ref value, length);
            _values.AsSpan(start, length).CopyTo(editor.Values);
            value = editor.Commit();
        };
        return getter;
    }
}
