using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Batching;
using MlNetInverse.ML.Persistence;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

[assembly: LoadableClass(typeof(VqVaeDecodeTransformer), null, typeof(SignatureLoadModel),
    VqVaeDecodeTransformer.UserName, VqVaeDecodeTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(VqVaeDecodeTransformer), null, typeof(SignatureLoadRowMapper),
    VqVaeDecodeTransformer.UserName, VqVaeDecodeTransformer.LoaderSignature)]

namespace MlNetInverse.ML.VqVae;

/// <summary>
/// The decoder half of a fitted VQ-VAE: maps a latent column (Vector&lt;Single, D*G*G&gt;, layout of
/// <see cref="VqVaeTransformer.LatentColumnName"/>; any values, e.g. MDN samples) to an image column
/// (Vector&lt;Single, S*S&gt;). Each latent grid vector is first snapped to its nearest code, so the decoder only sees
/// codebook vectors, as in training; the output is the sigmoid image or, with <see cref="Binarize"/>, the image
/// binarized at 0.5. Holds its own copy of the VQ-VAE weights and saves them inside ML.NET model zips.
/// </summary>
public sealed class VqVaeDecodeTransformer : TorchTransformerBase
{
    internal const string LoaderSignature = "MlNetInverseVqVaeDecode";
    internal const string UserName = "MlNetInverse VQ-VAE decoder";
    internal const string Component = "VQ-VAE decoder";

    private readonly VqVaeModel _model;
    private readonly Device _device;

    internal VqVaeDecodeTransformer(IHostEnvironment env, VqVaeModel model, string outputColumnName, string inputColumnName, bool binarize, ComputeDevice device)
        : base(env, nameof(VqVaeDecodeTransformer), outputColumnName, VqVaeTransformer.ImageType(model.Options),
            inputColumnName, VqVaeTransformer.LatentType(model.Options))
    {
        _model = model;
        _device = PlaceForInference(device, _model);
        Binarize = binarize;
        Device = device;
    }

    /// <summary>True when decoded pixels are binarized at 0.5 (pixel &gt; 0.5 becomes 1).</summary>
    public bool Binarize { get; }

    /// <summary>The device requested for decoding (a saved CUDA request runs on the CPU where no GPU is present).</summary>
    public ComputeDevice Device { get; }

    /// <summary>The architecture of the VQ-VAE whose decoder this is.</summary>
    public VqVaeOptions Architecture => _model.Options;

    private protected override string ComponentName => Component;

    internal static VersionInfo VersionInfo => ComponentVersion.Of<VqVaeDecodeTransformer>("VQVAEDEC", LoaderSignature);

    private protected override VersionInfo GetVersionInfo() => VersionInfo;

    // *** Binary format (options block) ***
    // int:  image size S (pixels)
    // int:  codebook size K
    // int:  code dimension D
    // int:  latent grid G
    // bool: binarize at 0.5
    // int:  requested device (ComputeDevice)
    // Weights: VqVaeModel.Save of the whole VQ-VAE (the encoder is kept so the format is the model's own).
    private protected override void SaveOptions(BinaryWriter writer)
    {
        var options = _model.Options;
        writer.Write(options.ImageSize);
        writer.Write(options.CodebookSize);
        writer.Write(options.CodeDimension);
        writer.Write(options.LatentGridSize);
        writer.Write(Binarize);
        writer.Write((int)Device);
    }

    private protected override void SaveWeights(BinaryWriter writer) => _model.Save(writer);

    private protected override void Forward(TorchBatch batch)
    {
        var options = _model.Options;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var latents = BatchTensors.Input(batch, _device, batch.Rows, options.CodeDimension, options.LatentGridSize, options.LatentGridSize);
        var images = _model.DecodeContinuous(latents).reshape(batch.Rows, -1);
        if (Binarize) images = images.gt(HeldScalar.Of(0.5)).to_type(ScalarType.Float32);
        BatchTensors.CopyTo(images, batch, 0);
    }

    private protected override void DisposeModel() => _model.Dispose();

    // Factory method for SignatureLoadModel.
    private static VqVaeDecodeTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var saved = TorchModelFormat.Read(env, ctx, VersionInfo, Component);
        var (imageSize, codebookSize, codeDimension, grid, binarize, device) = saved.ReadOptions(reader =>
            (reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadBoolean(),
             ReadDevice(reader)));
        VqVaeModel? model = null;
        saved.LoadWeights(reader => model = VqVaeModel.Load(reader, DeviceForLoad(device)));
        var options = model!.Options;
        if (options.ImageSize != imageSize || options.CodebookSize != codebookSize || options.CodeDimension != codeDimension || options.LatentGridSize != grid
            || !saved.OutputType.Equals(VqVaeTransformer.ImageType(options)) || !saved.InputType.Equals(VqVaeTransformer.LatentType(options)))
        {
            model.Dispose();
            throw new TorchModelFormatException($"{Component}: the options block ({imageSize}x{imageSize} images, K={codebookSize}, D={codeDimension}, G={grid}) does not match the saved model or its columns; the model entry is corrupted.");
        }
        return new VqVaeDecodeTransformer(env, model, saved.OutputColumnName, saved.InputColumnName, binarize, DeviceForLoad(device));
    }

    // Factory method for SignatureLoadRowMapper.
    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema)
        => Create(env, ctx).MakeRowMapper(inputSchema);
}
