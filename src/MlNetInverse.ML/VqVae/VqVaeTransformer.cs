using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Batching;
using MlNetInverse.ML.Persistence;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.VqVae;
using TorchSharp;
using static TorchSharp.torch;

[assembly: LoadableClass(typeof(VqVaeTransformer), null, typeof(SignatureLoadModel),
    VqVaeTransformer.UserName, VqVaeTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(VqVaeTransformer), null, typeof(SignatureLoadRowMapper),
    VqVaeTransformer.UserName, VqVaeTransformer.LoaderSignature)]

namespace MlNetInverse.ML.VqVae;

/// <summary>
/// A fitted VQ-VAE (<see cref="VqVaeEstimator"/>) that encodes the image column: it adds the quantized latent z_q
/// (Vector&lt;Single, D*G*G&gt;, element d*G*G + gx*G + gy: exactly the codebook vectors of the chosen codes), the code
/// indices (Vector&lt;Int32, G*G&gt;, element gx*G + gy) and, when configured, the reconstruction
/// (Vector&lt;Single, S*S&gt;, sigmoid output). Saved inside ML.NET model zips with its TorchSharp weights.
/// </summary>
public sealed class VqVaeTransformer : TorchTransformerBase
{
    internal const string LoaderSignature = "MlNetInverseVqVae";
    internal const string UserName = "MlNetInverse VQ-VAE";
    internal const string Component = "VQ-VAE";

    private readonly VqVaeModel _model;
    private readonly Device _device;
    private readonly bool _hasReconstruction;
    private readonly bool _ownsSurrogate;

    internal VqVaeTransformer(IHostEnvironment env, VqVaeModel model, string latentColumnName, string codeIndicesColumnName,
        string? reconstructionColumnName, string imageColumnName, ComputeDevice device, VqVaeTrainingSummary? trainingSummary,
        AbsorptionSurrogateTransformer? surrogate = null, bool ownsSurrogate = false)
        : base(env, nameof(VqVaeTransformer), latentColumnName, LatentType(model.Options), imageColumnName, ImageType(model.Options),
            ExtraOutputs(model.Options, codeIndicesColumnName, reconstructionColumnName))
    {
        _model = model;
        _device = PlaceForInference(device, _model);
        _hasReconstruction = reconstructionColumnName is not null;
        Device = device;
        CodeIndicesColumnName = codeIndicesColumnName;
        ReconstructionColumnName = reconstructionColumnName;
        TrainingSummary = trainingSummary;
        Surrogate = surrogate;
        _ownsSurrogate = ownsSurrogate;
    }

    /// <summary>Name of the quantized latent column (Vector&lt;Single, D*G*G&gt;).</summary>
    public string LatentColumnName => OutputColumnName;

    /// <summary>Name of the code index column (Vector&lt;Int32, G*G&gt;).</summary>
    public string CodeIndicesColumnName { get; }

    /// <summary>Name of the reconstruction column, or null when the transformer does not write one.</summary>
    public string? ReconstructionColumnName { get; }

    /// <summary>Name of the image column read (Vector&lt;Single, S*S&gt;, pixels in [0, 1]).</summary>
    public string ImageColumnName => InputColumnName;

    /// <summary>The architecture: image size S, codebook size K, code dimension D, latent grid G and the rest.</summary>
    public VqVaeOptions Architecture => _model.Options;

    /// <summary>The device requested for inference (a saved CUDA request runs on the CPU where no GPU is present).</summary>
    public ComputeDevice Device { get; }

    /// <summary>Training history of the fit that made this transformer; null for a transformer loaded from a model zip.</summary>
    public VqVaeTrainingSummary? TrainingSummary { get; }

    /// <summary>
    /// The surrogate of the absorption loss this VQ-VAE was fitted with: the one given in the options, or the one
    /// trained in Fit (then owned, and disposed, by this transformer). In memory only: not saved with the VQ-VAE, so
    /// null for a transformer loaded from a model zip and for a fit without the absorption loss.
    /// </summary>
    public AbsorptionSurrogateTransformer? Surrogate { get; }

    private protected override string ComponentName => Component;

    internal static VersionInfo VersionInfo => ComponentVersion.Of<VqVaeTransformer>("VQVAETRF", LoaderSignature);

    private protected override VersionInfo GetVersionInfo() => VersionInfo;

    /// <summary>
    /// The last <see cref="VqVaeTransformer"/> in <paramref name="model"/>: the model itself or a member of a
    /// transformer chain (as mlContext.Model.Load returns for a saved pipeline); null when there is none.
    /// </summary>
    public static VqVaeTransformer? FindIn(ITransformer model) => TransformerChains.FindLast<VqVaeTransformer>(model);

    /// <summary>The VQ-VAE's readout from latents to volume fraction (null for a model saved without one).</summary>
    internal VolumeFractionReadout? VolumeFractionReadout => _model.VolumeFractionReadout;

    /// <summary>The VQ-VAE itself (owned by this transformer).</summary>
    internal VqVaeModel Model => _model;

    /// <summary>A copy of the model (new tensors) on <paramref name="device"/>, in eval mode.</summary>
    internal VqVaeModel CopyModel(ComputeDevice device) =>
        ModelBytes.Copy(_model.Save, reader => VqVaeModel.Load(reader, device));

    internal static VectorDataViewType LatentType(VqVaeOptions options) =>
        new(NumberDataViewType.Single, options.CodeDimension * options.LatentGridSize * options.LatentGridSize);

    internal static VectorDataViewType ImageType(VqVaeOptions options) =>
        new(NumberDataViewType.Single, options.ImageSize * options.ImageSize);

    // *** Binary format (options block) ***
    // int:    image size S (pixels)
    // int:    codebook size K
    // int:    code dimension D
    // int:    latent grid G
    // string: code index column name
    // string: reconstruction column name, empty for none
    // int:    requested device (ComputeDevice)
    // Weights: VqVaeModel.Save (its own header with the options as JSON, then the state_dict).
    private protected override void SaveOptions(BinaryWriter writer)
    {
        var options = _model.Options;
        writer.Write(options.ImageSize);
        writer.Write(options.CodebookSize);
        writer.Write(options.CodeDimension);
        writer.Write(options.LatentGridSize);
        writer.Write(CodeIndicesColumnName);
        writer.Write(ReconstructionColumnName ?? string.Empty);
        writer.Write((int)Device);
    }

    private protected override void SaveWeights(BinaryWriter writer) => _model.Save(writer);

    private protected override void Forward(TorchBatch batch)
    {
        int s = _model.Options.ImageSize;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var images = BatchTensors.Input(batch, _device, batch.Rows, 1, s, s);
        var indices = _model.Quantizer.NearestIndices(_model.Encode(images));
        // The codebook lookup gives z_q exactly (the straight-through sum z_e + (e - z_e) would round).
        var latents = _model.Quantizer.Lookup(indices);
        BatchTensors.CopyTo(latents.reshape(batch.Rows, -1), batch, 0);
        BatchTensors.CopyIndicesTo(indices.reshape(batch.Rows, -1), batch, 1);
        if (_hasReconstruction) BatchTensors.CopyTo(_model.Decode(latents).reshape(batch.Rows, -1), batch, 2);
    }

    private protected override void DisposeModel()
    {
        _model.Dispose();
        if (_ownsSurrogate) Surrogate?.Dispose();
    }

    private static DataViewSchema.DetachedColumn[] ExtraOutputs(VqVaeOptions options, string codeIndicesColumnName, string? reconstructionColumnName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(codeIndicesColumnName);
        var codes = new DataViewSchema.DetachedColumn(codeIndicesColumnName,
            new VectorDataViewType(NumberDataViewType.Int32, options.LatentGridSize * options.LatentGridSize));
        if (reconstructionColumnName is null) return [codes];
        ArgumentException.ThrowIfNullOrWhiteSpace(reconstructionColumnName);
        return [codes, new DataViewSchema.DetachedColumn(reconstructionColumnName, ImageType(options))];
    }

    // Factory method for SignatureLoadModel.
    private static VqVaeTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var saved = TorchModelFormat.Read(env, ctx, VersionInfo, Component);
        var (imageSize, codebookSize, codeDimension, grid, codes, reconstruction, device) = saved.ReadOptions(reader =>
            (reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadString(), reader.ReadString(),
             ReadDevice(reader)));
        VqVaeModel? model = null;
        saved.LoadWeights(reader => model = VqVaeModel.Load(reader, DeviceForLoad(device)));
        var options = model!.Options;
        if (options.ImageSize != imageSize || options.CodebookSize != codebookSize || options.CodeDimension != codeDimension || options.LatentGridSize != grid
            || !saved.InputType.Equals(ImageType(options)) || !saved.OutputType.Equals(LatentType(options)) || string.IsNullOrEmpty(codes))
        {
            model.Dispose();
            throw new TorchModelFormatException($"{Component}: the options block ({imageSize}x{imageSize} images, K={codebookSize}, D={codeDimension}, G={grid}) does not match the saved model or its columns; the model entry is corrupted.");
        }
        return new VqVaeTransformer(env, model, saved.OutputColumnName, codes, reconstruction.Length == 0 ? null : reconstruction,
            saved.InputColumnName, DeviceForLoad(device), trainingSummary: null);
    }

    // Factory method for SignatureLoadRowMapper.
    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema)
        => Create(env, ctx).MakeRowMapper(inputSchema);
}
