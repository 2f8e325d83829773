using Microsoft.ML.Data;

namespace MlNetInverse.ML.Persistence;

/// <summary>
/// What <see cref="TorchModelFormat.Read"/> found in a saved torch-backed component: its columns, its options block
/// and its verified weight bytes. The component's loader turns the options and weights back into a model.
/// </summary>
internal sealed class SavedTorchModel
{
    private readonly byte[] _options;
    private readonly byte[] _weights;

    public SavedTorchModel(string component, string outputColumnName, DataViewType outputType, string inputColumnName, DataViewType inputType, byte[] options, byte[] weights)
    {
        Component = component;
        OutputColumnName = outputColumnName;
        OutputType = outputType;
        InputColumnName = inputColumnName;
        InputType = inputType;
        _options = options;
        _weights = weights;
    }

    /// <summary>Component name used in error messages.</summary>
    public string Component { get; }

    public string OutputColumnName { get; }

    public DataViewType OutputType { get; }

    public string InputColumnName { get; }

    public DataViewType InputType { get; }

    /// <summary>
    /// Reads the options block with <paramref name="read"/>; the block must be consumed exactly, so a reader that
    /// disagrees with the writer about the layout fails here instead of producing a wrong model.
    /// </summary>
    /// <exception cref="TorchModelFormatException">The block ends early, has bytes left over, or holds invalid values.</exception>
    public T ReadOptions<T>(Func<BinaryReader, T> read)
    {
        using var reader = new BinaryReader(new MemoryStream(_options, writable: false));
        T result;
        try
        {
            result = read(reader);
        }
        catch (EndOfStreamException e)
        {
            throw new TorchModelFormatException($"{Component}: the options block ends early ({_options.Length} bytes); the model was written by a different layout or is corrupted.", e);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new TorchModelFormatException($"{Component}: the options block holds invalid values: {OneLine(e.Message)}", e);
        }
        long left = reader.BaseStream.Length - reader.BaseStream.Position;
        if (left != 0)
            throw new TorchModelFormatException($"{Component}: the options block has {left} unread bytes; the model was written by a different layout.");
        return result;
    }

    /// <summary>
    /// Hands the weight bytes to <paramref name="load"/> (typically the model's Load(BinaryReader)); any failure
    /// means the weights do not fit the model built from the options.
    /// </summary>
    /// <exception cref="TorchModelFormatException">The model rejected the weights.</exception>
    public void LoadWeights(Action<BinaryReader> load)
    {
        using var reader = new BinaryReader(new MemoryStream(_weights, writable: false));
        try
        {
            load(reader);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new TorchModelFormatException($"{Component}: the weights in '{TorchWeightStream.Name}' do not fit the model: {OneLine(e.Message)}", e);
        }
    }

    internal static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
