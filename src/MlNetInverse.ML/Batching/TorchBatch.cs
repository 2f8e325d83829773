using Microsoft.ML.Data;
using MlNetInverse.ML.Persistence;

namespace MlNetInverse.ML.Batching;

/// <summary>
/// The rows of one forward pass of a <see cref="TorchTransformerBase"/>: every row's input values, back to back, and
/// one buffer per output column to fill. Buffers are allocated once for <see cref="Capacity"/> rows and reused, so a
/// cursor that maps thousands of rows allocates nothing per batch.
/// </summary>
internal sealed class TorchBatch
{
    private readonly float[] _input;
    private readonly float[]?[] _singles;
    private readonly int[]?[] _int32s;
    private readonly bool[]?[] _booleans;
    private readonly int[] _outputLengths;

    /// <param name="capacity">Most rows per batch.</param>
    /// <param name="inputLength">Floats per input value (1 for a Single column).</param>
    /// <param name="outputTypes">Type of every output column: Single, Boolean, or a known-size vector of Single or Int32.</param>
    public TorchBatch(int capacity, int inputLength, IReadOnlyList<DataViewType> outputTypes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputLength, 1);
        Capacity = capacity;
        InputLength = inputLength;
        _input = new float[checked(capacity * inputLength)];
        _singles = new float[outputTypes.Count][];
        _int32s = new int[outputTypes.Count][];
        _booleans = new bool[outputTypes.Count][];
        _outputLengths = new int[outputTypes.Count];
        for (int i = 0; i < outputTypes.Count; i++)
        {
            _outputLengths[i] = TorchColumnType.ElementCount(outputTypes[i]);
            if (TorchColumnType.ItemType(outputTypes[i]) == NumberDataViewType.Int32)
                _int32s[i] = new int[checked(capacity * _outputLengths[i])];
            else if (outputTypes[i] == BooleanDataViewType.Instance)
                _booleans[i] = new bool[capacity];
            else
                _singles[i] = new float[checked(capacity * _outputLengths[i])];
        }
    }

    /// <summary>Most rows a batch holds.</summary>
    public int Capacity { get; }

    /// <summary>Rows in this batch (1 .. <see cref="Capacity"/>).</summary>
    public int Rows { get; private set; }

    /// <summary>Floats per row of input.</summary>
    public int InputLength { get; }

    /// <summary>The input values of all rows, row after row (<see cref="Rows"/> * <see cref="InputLength"/> floats).</summary>
    public ReadOnlySpan<float> Input => _input.AsSpan(0, Rows * InputLength);

    /// <summary>Values per row of output <paramref name="output"/>.</summary>
    public int OutputLength(int output) => _outputLengths[output];

    /// <summary>The Single buffer of output <paramref name="output"/> for all rows (Rows * OutputLength values).</summary>
    /// <exception cref="InvalidOperationException">The output is an Int32 column.</exception>
    public Span<float> Singles(int output) =>
        (_singles[output] ?? throw new InvalidOperationException($"Output {output} holds Int32 values, not Single.")).AsSpan(0, Rows * _outputLengths[output]);

    /// <summary>The Int32 buffer of output <paramref name="output"/> for all rows (Rows * OutputLength values).</summary>
    /// <exception cref="InvalidOperationException">The output is a Single column.</exception>
    public Span<int> Int32s(int output) =>
        (_int32s[output] ?? throw new InvalidOperationException($"Output {output} holds Single values, not Int32.")).AsSpan(0, Rows * _outputLengths[output]);

    /// <summary>The Boolean buffer of output <paramref name="output"/> for all rows (one value per row).</summary>
    /// <exception cref="InvalidOperationException">The output is not a Boolean column.</exception>
    public Span<bool> Booleans(int output) =>
        (_booleans[output] ?? throw new InvalidOperationException($"Output {output} is not a Boolean column.")).AsSpan(0, Rows);

    /// <summary>Starts a batch of <paramref name="rows"/> rows.</summary>
    internal void Reset(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, Capacity);
        Rows = rows;
    }

    /// <summary>Where the input of row <paramref name="row"/> goes (filled by the cursor before the forward pass).</summary>
    internal Span<float> InputOf(int row) => _input.AsSpan(row * InputLength, InputLength);

    /// <summary>The Single values of output <paramref name="output"/> for row <paramref name="row"/>.</summary>
    internal ReadOnlySpan<float> SinglesOf(int output, int row) => _singles[output].AsSpan(row * _outputLengths[output], _outputLengths[output]);

    /// <summary>The Int32 values of output <paramref name="output"/> for row <paramref name="row"/>.</summary>
    internal ReadOnlySpan<int> Int32sOf(int output, int row) => _int32s[output].AsSpan(row * _outputLengths[output], _outputLengths[output]);

    /// <summary>The Boolean value of output <paramref name="output"/> for row <paramref name="row"/>.</summary>
    internal bool BooleanOf(int output, int row) => _booleans[output]![row];
}
