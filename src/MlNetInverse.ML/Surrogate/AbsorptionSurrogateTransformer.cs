using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Batching;
using MlNetInverse.ML.Persistence;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.Training;
using TorchSharp;
using static TorchSharp.torch;

[assembly: LoadableClass(typeof(AbsorptionSurrogateTransformer), null, typeof(SignatureLoadModel),
    AbsorptionSurrogateTransformer.UserName, AbsorptionSurrogateTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(AbsorptionSurrogateTransformer), null, typeof(SignatureLoadRowMapper),
    AbsorptionSurrogateTransformer.UserName, AbsorptionSurrogateTransformer.LoaderSignature)]

namespace MlNetInverse.ML.Surrogate;

/// <summary>
/// A fitted absorption surrogate CNN (<see cref="AbsorptionSurrogateEstimator"/>): adds the predicted absorption
/// (Single) of the image column (Vector&lt;Single, S*S&gt;, pixels in [0, 1]). Saved inside ML.NET model zips with its
/// TorchSharp weights and its held-out errors.
/// </summary>
public sealed class AbsorptionSurrogateTransformer : TorchTransformerBase
{
    internal const string LoaderSignature = "MlNetInverseSurrogate";
    internal const string UserName = "MlNetInverse absorption surrogate";
    internal const string Component = "absorption surrogate";

    private readonly AbsorptionSurrogateModel _model;
    private readonly Device _device;

    internal AbsorptionSurrogateTransformer(IHostEnvironment env, AbsorptionSurrogateModel model, string outputColumnName,
        string imageColumnName, ComputeDevice device, SurrogateEvaluation? heldOut)
        : base(env, nameof(AbsorptionSurrogateTransformer), outputColumnName, NumberDataViewType.Single,
            imageColumnName, new VectorDataViewType(NumberDataViewType.Single, model.Options.ImageSize * model.Options.ImageSize))
    {
        _model = model;
        _device = PlaceForInference(device, _model);
        Device = device;
        HeldOut = heldOut;
    }

    /// <summary>Name of the image column read.</summary>
    public string ImageColumnName => InputColumnName;

    /// <summary>The CNN's architecture (image size, channels, head units).</summary>
    public AbsorptionSurrogateOptions Architecture => _model.Options;

    /// <summary>The device requested for inference (a saved CUDA request runs on the CPU where no GPU is present).</summary>
    public ComputeDevice Device { get; }

    /// <summary>
    /// Errors on the rows held out during training (never trained on): the surrogate's test result, kept in the
    /// model zip. Null only for surrogates built without a held-out split.
    /// </summary>
    public SurrogateEvaluation? HeldOut { get; }

    private protected override string ComponentName => Component;

    internal static VersionInfo VersionInfo => ComponentVersion.Of<AbsorptionSurrogateTransformer>("ABSSURRO", LoaderSignature);

    private protected override VersionInfo GetVersionInfo() => VersionInfo;

    /// <summary>
    /// The last <see cref="AbsorptionSurrogateTransformer"/> in <paramref name="model"/>: the model itself or a member
    /// of a transformer chain; null when there is none.
    /// </summary>
    public static AbsorptionSurrogateTransformer? FindIn(ITransformer model) => TransformerChains.FindLast<AbsorptionSurrogateTransformer>(model);

    /// <summary>A copy of the CNN (new tensors) on the CPU, in eval mode, for use as a frozen loss term.</summary>
    internal AbsorptionSurrogateModel CopyModel() =>
        ModelBytes.Copy(_model.Save, reader => AbsorptionSurrogateModel.Load(reader));

    // *** Binary format (options block) ***
    // int:  image size S (pixels)
    // int:  requested device (ComputeDevice)
    // bool: held-out errors present; then int count, double MAE, double RMSE, double R^2
    // Weights: AbsorptionSurrogateModel.Save (its own header with the options as JSON, then the state_dict, label scale included).
    private protected override void SaveOptions(BinaryWriter writer)
    {
        writer.Write(_model.Options.ImageSize);
        writer.Write((int)Device);
        writer.Write(HeldOut is not null);
        if (HeldOut is null) return;
        writer.Write(HeldOut.Count);
        writer.Write(HeldOut.MeanAbsoluteError);
        writer.Write(HeldOut.RootMeanSquaredError);
        writer.Write(HeldOut.RSquared);
    }

    private protected override void SaveWeights(BinaryWriter writer) => _model.Save(writer);

    private protected override void Forward(TorchBatch batch)
    {
        int s = _model.Options.ImageSize;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var images = BatchTensors.Input(batch, _device, batch.Rows, 1, s, s);
        BatchTensors.CopyTo(_model.call(images), batch, 0);
    }

    private protected override void DisposeModel() => _model.Dispose();

    // Factory method for SignatureLoadModel.
    private static AbsorptionSurrogateTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var saved = TorchModelFormat.Read(env, ctx, VersionInfo, Component);
        var (imageSize, device, heldOut) = saved.ReadOptions(reader =>
        {
            int size = reader.ReadInt32();
            var requested = ReadDevice(reader);
            SurrogateEvaluation? evaluation = reader.ReadBoolean()
                ? new SurrogateEvaluation(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble())
                : null;
            return (size, requested, evaluation);
        });
        AbsorptionSurrogateModel? model = null;
        saved.LoadWeights(reader => model = AbsorptionSurrogateModel.Load(reader, DeviceForLoad(device)));
        if (model!.Options.ImageSize != imageSize || saved.OutputType != NumberDataViewType.Single
            || !saved.InputType.Equals(new VectorDataViewType(NumberDataViewType.Single, imageSize * imageSize)))
        {
            model.Dispose();
            throw new TorchModelFormatException($"{Component}: the options block ({imageSize}x{imageSize} images) does not match the saved model or its columns; the model entry is corrupted.");
        }
        return new AbsorptionSurrogateTransformer(env, model, saved.OutputColumnName, saved.InputColumnName, DeviceForLoad(device), heldOut);
    }

    // Factory method for SignatureLoadRowMapper.
    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema)
        => Create(env, ctx).MakeRowMapper(inputSchema);
}
