using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetInverse.ML.Batching;

/// <summary>
/// Keeps one input column's values for the rows of a batch, so <see cref="TorchBatchCursor"/> can read ahead on the
/// input cursor and still serve each row's own values. Vectors are deep-copied (an input getter may reuse its
/// buffers); other values (numbers, text, ids, booleans) are copied by value.
/// </summary>
internal abstract class RowSlots
{
    /// <summary>Slots for <paramref name="column"/> of <paramref name="source"/>, typed by the column's raw type.</summary>
    public static RowSlots Create(DataViewRowCursor source, DataViewSchema.Column column, int capacity)
    {
        var raw = column.Type.RawType;
        var generic = raw.IsGenericType && raw.GetGenericTypeDefinition() == typeof(VBuffer<>)
            ? typeof(VectorSlots<>).MakeGenericType(raw.GetGenericArguments()[0])
            : typeof(ValueSlots<>).MakeGenericType(raw);
        try
        {
            return (RowSlots)Activator.CreateInstance(generic, source, column, capacity)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    /// <summary>Copies the source cursor's current value into slot <paramref name="slot"/>.</summary>
    public abstract void Capture(int slot);

    /// <summary>A getter serving the slot <paramref name="currentSlot"/> returns.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="TValue"/> is not the column's raw type.</exception>
    public abstract ValueGetter<TValue> Getter<TValue>(Func<int> currentSlot);

    private static InvalidOperationException WrongType(Type expected, Type requested) =>
        new($"The column holds {expected.Name} values, not {requested.Name}.");

    private sealed class ValueSlots<T> : RowSlots
    {
        private readonly ValueGetter<T> _source;
        private readonly T[] _values;

        public ValueSlots(DataViewRowCursor source, DataViewSchema.Column column, int capacity)
        {
            _source = source.GetGetter<T>(column);
            _values = new T[capacity];
        }

        // The slot's own storage is passed by ref, so a getter that reuses its destination reuses this slot's value.
        public override void Capture(int slot) => _source(ref _values[slot]);

        public override ValueGetter<TValue> Getter<TValue>(Func<int> currentSlot)
        {
            if (typeof(TValue) != typeof(T)) throw WrongType(typeof(T), typeof(TValue));
            ValueGetter<T> getter = (ref T value) => value = _values[currentSlot()];
            return (ValueGetter<TValue>)(Delegate)getter;
        }
    }

    private sealed class VectorSlots<T> : RowSlots
    {
        private readonly ValueGetter<VBuffer<T>> _source;
        private readonly VBuffer<T>[] _values;
        private VBuffer<T> _scratch;

        public VectorSlots(DataViewRowCursor source, DataViewSchema.Column column, int capacity)
        {
            _source = source.GetGetter<VBuffer<T>>(column);
            _values = new VBuffer<T>[capacity];
        }

        public override void Capture(int slot)
        {
            _source(ref _scratch);
            _scratch.CopyTo(ref _values[slot]);
        }

        public override ValueGetter<TValue> Getter<TValue>(Func<int> currentSlot)
        {
            if (typeof(TValue) != typeof(VBuffer<T>)) throw WrongType(typeof(VBuffer<T>), typeof(TValue));
            ValueGetter<VBuffer<T>> getter = (ref VBuffer<T> value) => _values[currentSlot()].CopyTo(ref value);
            return (ValueGetter<TValue>)(Delegate)getter;
        }
    }
}
