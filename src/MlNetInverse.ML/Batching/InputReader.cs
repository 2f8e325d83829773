using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetInverse.ML.Batching;

/// <summary>Reads a torch transformer's input column into float buffers and writes output spans into VBuffers.</summary>
internal static class InputReader
{
    /// <summary>
    /// A reader that copies the current row's value of column <paramref name="index"/> (a Single, or a known-size
    /// Single vector, dense or sparse) into a buffer of <paramref name="type"/>'s element count.
    /// </summary>
    public static Action<Span<float>> Create(DataViewRow row, int index, DataViewType type)
    {
        var column = row.Schema[index];
        if (type is VectorDataViewType)
        {
            var getter = row.GetGetter<VBuffer<float>>(column);
            VBuffer<float> value = default;
            return buffer =>
            {
                getter(ref value);
                value.CopyTo(buffer);
            };
        }
        var scalar = row.GetGetter<float>(column);
        return buffer =>
        {
            float value = 0;
            scalar(ref value);
            buffer[0] = value;
        };
    }

    /// <summary>Writes <paramref name="values"/> into <paramref name="destination"/> as a dense vector, reusing its buffers.</summary>
    public static void Write<T>(ReadOnlySpan<T> values, ref VBuffer<T> destination)
    {
        var editor = VBufferEditor.Create(ref destination, values.Length);
        values.CopyTo(editor.Values);
        destination = editor.Commit();
    }
}
