using Microsoft.ML;

namespace MlNetInverse.ML.Data;

/// <summary>One column of a row group held in memory, serving ML.NET getters for the cursor's current row.</summary>
internal abstract class ColumnBuffer
{
    /// <summary>Rows in the buffer.</summary>
    public abstract int RowCount { get; }

    /// <summary>A getter of the value at <paramref name="row"/>() (the cursor's row inside the current group).</summary>
    public abstract Delegate MakeGetter(Func<int> row);

    /// <summary>The CLR type ML.NET getters of this column use (float, long, VBuffer&lt;float&gt;, ReadOnlyMemory&lt;char&gt;...).</summary>
    public abstract Type ValueType { get; }
}
