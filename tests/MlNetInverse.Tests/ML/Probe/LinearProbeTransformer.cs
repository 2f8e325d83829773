using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Batching;
using MlNetInverse.ML.Persistence;
using MlNetInverse.Tests.ML.Probe;
using TorchSharp;
using static TorchSharp.torch;

[assembly: LoadableClass(typeof(LinearProbeTransformer), null, typeof(SignatureLoadModel),
    LinearProbeTransformer.UserName, LinearProbeTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(LinearProbeTransformer), null, typeof(SignatureLoadRowMapper),
    LinearProbeTransformer.UserName, LinearProbeTransformer.LoaderSignature)]

namespace MlNetInverse.Tests.ML.Probe;

/// <summary>
/// The smallest real <see cref="TorchTransformerBase"/>: a TorchSharp Linear layer fitted by
/// <see cref="LinearProbeEstimator"/>. It exists so the persistence round trip (save, load in a fresh MLContext or
/// process, bit-identical outputs, clear errors on damaged zips) is tested independently of the product models.
/// </summary>
internal sealed class LinearProbeTransformer : TorchTransformerBase
{
    internal const string LoaderSignature = "MlNetInverseLinearProbe";
    internal const string UserName = "MlNetInverse linear probe";
    internal const string Component = "linear probe";

    private readonly nn.Module<Tensor, Tensor> _linear;

    internal LinearProbeTransformer(IHostEnvironment env, string outputColumnName, DataViewType outputType,
        string inputColumnName, DataViewType inputType, nn.Module<Tensor, Tensor> linear)
        : base(env, nameof(LinearProbeTransformer), outputColumnName, outputType, inputColumnName, inputType)
    {
        _linear = linear;
        _linear.eval();
    }

    /// <summary>Input features (vector length).</summary>
    internal int InputSize => TorchColumnType.ElementCount(InputType);

    /// <summary>Outputs per row (1 for a Single output).</summary>
    internal int OutputSize => TorchColumnType.ElementCount(OutputType);

    private protected override string ComponentName => Component;

    internal static VersionInfo VersionInfo => new(
        modelSignature: "LINPROBE",
        verWrittenCur: 0x00010001, // initial
        verReadableCur: 0x00010001,
        verWeCanReadBack: 0x00010001,
        loaderAssemblyName: typeof(LinearProbeTransformer).Assembly.FullName,
        loaderSignature: LoaderSignature,
        loaderSignatureAlt: null);

    private protected override VersionInfo GetVersionInfo() => VersionInfo;

    internal static nn.Module<Tensor, Tensor> CreateModel(int inputSize, int outputSize) => nn.Linear(inputSize, outputSize);

    // *** Binary format (options block) ***
    // int: input size
    // int: output size
    private protected override void SaveOptions(BinaryWriter writer)
    {
        writer.Write(InputSize);
        writer.Write(OutputSize);
    }

    private protected override void SaveWeights(BinaryWriter writer) => _linear.save(writer);

    private protected override void Forward(TorchBatch batch)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.tensor(batch.Input.ToArray(), [batch.Rows, InputSize]);
        _linear.forward(x).data<float>().ToArray().CopyTo(batch.Singles(0));
    }

    private protected override void DisposeModel() => _linear.Dispose();

    // Factory method for SignatureLoadModel.
    private static LinearProbeTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var saved = TorchModelFormat.Read(env, ctx, VersionInfo, Component);
        var (inputSize, outputSize) = saved.ReadOptions(reader => (reader.ReadInt32(), reader.ReadInt32()));
        if (inputSize != TorchColumnType.ElementCount(saved.InputType) || outputSize != TorchColumnType.ElementCount(saved.OutputType))
            throw new TorchModelFormatException($"{Component}: options say {inputSize} -> {outputSize} but the columns are {saved.InputType} -> {saved.OutputType}; the model entry is corrupted.");
        var linear = CreateModel(inputSize, outputSize);
        saved.LoadWeights(reader => linear.load(reader, strict: true));
        return new LinearProbeTransformer(env, saved.OutputColumnName, saved.OutputType, saved.InputColumnName, saved.InputType, linear);
    }

    // Factory method for SignatureLoadRowMapper.
    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema)
        => Create(env, ctx).MakeRowMapper(inputSchema);
}
