using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Batching;
using MlNetInverse.ML.Schema;
using MlNetInverse.Models.Devices;
using TorchSharp;

namespace MlNetInverse.ML.Persistence;

/// <summary>
/// Base of this library's transformers that run a TorchSharp model on one input column and write one or more new
/// columns. It owns the ML.NET side: schema checks and propagation, batched mapping, and persistence inside the model
/// zip (version info, the primary column names and types, an options block, and the weights as a checksummed binary
/// stream; see <see cref="TorchModelFormat"/>). A derived transformer supplies its version info, options, weights and
/// a batched forward pass, and a loader:
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
/// Columns: the primary output (Single or a known-size Vector&lt;Single&gt;) is described by the shared layout; a
/// component with more outputs (e.g. code indices, Vector&lt;Int32&gt;, or a Boolean flag) passes them as <c>extraOutputs</c> and saves
/// their names in its options block.
/// Mapping: <see cref="Transform"/> reads up to <see cref="BatchSize"/> rows ahead on the input cursor and runs one
/// forward pass per batch (see <see cref="TorchBatchDataView"/>); a prediction engine (or any row-to-row mapper) runs
/// batches of one row. Forward passes run under a lock: a TorchSharp module is not safe for concurrent forwards.
/// </summary>
public abstract partial class TorchTransformerBase : RowToRowTransformerBase, ITransformer, IDisposable
{
    /// <summary>Rows per forward pass when a data view is transformed, unless a component overrides <see cref="BatchSize"/>.</summary>
    public const int DefaultBatchSize = 256;

    private readonly object _forwardLock = new();
    private bool _disposed;

    private protected TorchTransformerBase(IHostEnvironment env, string registrationName,
        string outputColumnName, DataViewType outputType, string inputColumnName, DataViewType inputType,
        IReadOnlyList<DataViewSchema.DetachedColumn>? extraOutputs = null)
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
        var outputs = new List<DataViewSchema.DetachedColumn> { new(outputColumnName, outputType) };
        foreach (var extra in extraOutputs ?? [])
        {
            if (!TorchColumnType.IsSupportedExtraOutput(extra.Type))
                throw new ArgumentException($"Output column '{extra.Name}' must be Single, Boolean or a known-size Vector<Single> or Vector<Int32>; got {extra.Type}.", nameof(extraOutputs));
            if (outputs.Any(o => o.Name == extra.Name))
                throw new ArgumentException($"Output column name '{extra.Name}' is used twice; every output column needs its own name.", nameof(extraOutputs));
            outputs.Add(extra);
        }
        OutputColumns = outputs;
    }

    /// <summary>Name of the primary column this transformer writes.</summary>
    public string OutputColumnName { get; }

    /// <summary>Type of the primary written column: Single or a known-size Vector&lt;Single&gt;.</summary>
    public DataViewType OutputType { get; }

    /// <summary>Name of the column this transformer reads.</summary>
    public string InputColumnName { get; }

    /// <summary>Type the input column must have: Single or a known-size Vector&lt;Single&gt;.</summary>
    public DataViewType InputType { get; }

    /// <summary>Every written column, the primary one first, in the order they are appended to the schema.</summary>
    public IReadOnlyList<DataViewSchema.DetachedColumn> OutputColumns { get; }

    /// <summary>Rows per forward pass when a data view is transformed. Default <see cref="DefaultBatchSize"/>.</summary>
    public virtual int BatchSize => DefaultBatchSize;

    /// <summary>The component's name in messages, e.g. "VQ-VAE encoder".</summary>
    private protected abstract string ComponentName { get; }

    /// <summary>The component's ML.NET version info (model signature, versions, loader signature).</summary>
    private protected abstract VersionInfo GetVersionInfo();

    /// <summary>Writes the hyper-parameters the loader needs to rebuild the model before loading weights.</summary>
    private protected abstract void SaveOptions(BinaryWriter writer);

    /// <summary>Writes the model's weights (the model's Save(BinaryWriter)); leave the writer open.</summary>
    private protected abstract void SaveWeights(BinaryWriter writer);

    /// <summary>
    /// Maps the batch's inputs to every output column (<see cref="OutputColumns"/> order). Called under a lock; the
    /// implementation should run in eval mode under <c>torch.no_grad()</c> with one dispose scope for the batch.
    /// </summary>
    private protected abstract void Forward(TorchBatch batch);

    /// <summary>Releases the model's native tensors.</summary>
    private protected abstract void DisposeModel();

    /// <summary>
    /// Puts a transformer's <paramref name="modules"/> on the device <paramref name="device"/> resolves to (the CPU
    /// where a requested GPU is missing) in eval mode, in the order given, and returns that device.
    /// </summary>
    private protected static torch.Device PlaceForInference(ComputeDevice device, params torch.nn.Module[] modules)
    {
        var resolved = DeviceResolver.Resolve(device);
        foreach (var module in modules)
        {
            module.to(resolved);
            module.eval();
        }
        return resolved;
    }

    /// <summary>
    /// Adds the output columns to <paramref name="input"/>, lazily: rows are read and mapped in batches of
    /// <see cref="BatchSize"/> as a cursor moves.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or has another type; the message names it.</exception>
    public new IDataView Transform(IDataView input)
    {
        Host.CheckValue(input, nameof(input));
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new TorchBatchDataView(this, input);
    }

    IDataView ITransformer.Transform(IDataView input) => Transform(input);

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

    /// <summary>A batch sized for this transformer's columns.</summary>
    internal TorchBatch CreateBatch(int capacity) =>
        new(capacity, TorchColumnType.ElementCount(InputType), OutputColumns.Select(c => c.Type).ToArray());

    /// <summary>Index of the input column in <paramref name="schema"/>, checked against <see cref="InputType"/>.</summary>
    internal int FindInput(DataViewSchema schema) =>
        InputColumnCheck.Require(schema, InputColumnName,
            actual => TorchColumnType.Accepts(InputType, actual), InputColumnCheck.TypeName(InputType)).Index;

    /// <summary>Runs <see cref="Forward"/> under the lock (ML.NET's cancellation is checked once per batch).</summary>
    internal void RunForward(TorchBatch batch)
    {
        lock (_forwardLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Host.CheckAlive();
            Forward(batch);
        }
    }

    /// <summary>Reads a device request written as an int by a component's options block.</summary>
    /// <exception cref="FormatException">Not a <see cref="ComputeDevice"/> value.</exception>
    private protected static ComputeDevice ReadDevice(BinaryReader reader)
    {
        int value = reader.ReadInt32();
        return Enum.IsDefined((ComputeDevice)value) ? (ComputeDevice)value : throw new FormatException($"device code {value} is not Cpu, Cuda or Auto");
    }

    /// <summary>The model's device after loading: the saved request, except that CUDA falls back to the CPU where none is present.</summary>
    private protected static ComputeDevice DeviceForLoad(ComputeDevice saved) =>
        saved == ComputeDevice.Cuda && !TorchSharp.torch.cuda.is_available() ? ComputeDevice.Cpu : saved;
}
