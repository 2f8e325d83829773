using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MlNetInverse.ML.Persistence;

/// <summary>
/// Base of this library's transformers that run a TorchSharp model on one column and write one new column. It owns
/// the ML.NET side: schema checks and propagation, row mapping, and persistence inside the model zip
/// (version info, column names and types, an options block, and the weights as a checksummed binary stream; see
/// <see cref="TorchModelFormat"/>). A derived transformer supplies its version info, options, weights and forward
/// pass, and a loader:
/// <code>
/// [assembly: LoadableClass(typeof(MyTransformer), null, typeof(SignatureLoadModel), "My transformer", MyTransformer.LoaderSignature)]
/// [assembly: LoadableClass(typeof(IRowMapper), typeof(MyTransformer), null, typeof(SignatureLoadRowMapper), "My transformer", MyTransformer.LoaderSignature)]
/// private static MyTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
/// {
///     var saved = TorchModelFormat.Read(env, ctx, MyVersionInfo, "my component");
///     var options = saved.ReadOptions(reader => ...);
///     var model = ...build from options...;
///     saved.LoadWeights(reader => model.Load(reader));
///     return new MyTransformer(env, saved, model);
/// }
/// private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema)
///     => Create(env, ctx).MakeRowMapper(inputSchema);
/// </code>
/// Rows are mapped one at a time under a lock (a TorchSharp module is not safe for concurrent forwards).
/// </summary>
public abstract partial class TorchTransformerBase : RowToRowTransformerBase, IDisposable
{
    private readonly object _forwardLock = new();
    private bool _disposed;

    private protected TorchTransformerBase(IHostEnvironment env, string registrationName,
        string outputColumnName, DataViewType outputType, string inputColumnName, DataViewType inputType)
        : base(Contracts.CheckRef(env, nameof(env)).Register(registrationName))
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        TorchColumnType.Check(outputType, nameof(outputType));
        TorchColumnType.Check(inputType, nameof(inputType));
        OutputColumnName = outputColumnName;
        OutputType = outputType;
        InputColumnName = inputColumnName;
        InputType = inputType;
    }

    /// <summary>Name of the column this transformer writes.</summary>
    public string OutputColumnName { get; }

    /// <summary>Type of the written column: Single or a known-size Vector&lt;Single&gt;.</summary>
    public DataViewType OutputType { get; }

    /// <summary>Name of the column this transformer reads.</summary>
    public string InputColumnName { get; }

    /// <summary>Type the input column must have: Single or a known-size Vector&lt;Single&gt;.</summary>
    public DataViewType InputType { get; }

    /// <summary>The component's name in messages, e.g. "VQ-VAE encoder".</summary>
    private protected abstract string ComponentName { get; }

    /// <summary>The component's ML.NET version info (model signature, versions, loader signature).</summary>
    private protected abstract VersionInfo GetVersionInfo();

    /// <summary>Writes the hyper-parameters the loader needs to rebuild the model before loading weights.</summary>
    private protected abstract void SaveOptions(BinaryWriter writer);

    /// <summary>Writes the model's weights (the model's Save(BinaryWriter)); leave the writer open.</summary>
    private protected abstract void SaveWeights(BinaryWriter writer);

    /// <summary>
    /// Maps one input value to one output value. Called under a lock; <paramref name="input"/> holds
    /// <see cref="InputType"/>'s element count, <paramref name="output"/> <see cref="OutputType"/>'s.
    /// </summary>
    private protected abstract void Forward(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Releases the model's native tensors.</summary>
    private protected abstract void DisposeModel();

    protected sealed override void SaveModel(ModelSaveContext ctx)
    {
        Host.CheckValue(ctx, nameof(ctx));
        ObjectDisposedException.ThrowIf(_disposed, this);
        TorchModelFormat.Write(ctx, GetVersionInfo(), OutputColumnName, OutputType, InputColumnName, InputType, SaveOptions, SaveWeights);
    }

    protected override IRowMapper MakeRowMapper(DataViewSchema schema) => new Mapper(this, schema);

    /// <summary>Disposes the TorchSharp model; the transformer cannot map or save afterwards.</summary>
    public void Dispose()
    {
        lock (_forwardLock)
        {
            if (_disposed) return;
            _disposed = true;
            DisposeModel();
        }
        GC.SuppressFinalize(this);
    }

    private void RunForward(ReadOnlySpan<float> input, Span<float> output)
    {
        lock (_forwardLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Forward(input, output);
        }
    }
}
