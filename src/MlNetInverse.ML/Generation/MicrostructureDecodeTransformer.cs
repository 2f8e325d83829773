using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Batching;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Persistence;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

[assembly: LoadableClass(typeof(MicrostructureDecodeTransformer), null, typeof(SignatureLoadModel),
    MicrostructureDecodeTransformer.UserName, MicrostructureDecodeTransformer.LoaderSignature)]
[assembly: LoadableClass(typeof(IRowMapper), typeof(MicrostructureDecodeTransformer), null, typeof(SignatureLoadRowMapper),
    MicrostructureDecodeTransformer.UserName, MicrostructureDecodeTransformer.LoaderSignature)]

namespace MlNetInverse.ML.Generation;

/// <summary>
/// Turns N latents per row (Vector&lt;Single, N*L&gt;, e.g. MDN samples) into N microstructures: every latent grid
/// vector is snapped to its nearest VQ-VAE code, the grid is decoded and binarized (at the volume fraction the VQ-VAE's
/// <see cref="VolumeFractionReadout"/> reads from the latents, or at 0.5 for a VQ-VAE without one) without isolated
/// pixels or lakes (<see cref="DesignBinarization"/>: a fabricable two-phase map), giving
/// Vector&lt;Single, N, S, S&gt; (sample n's map at n*S*S, x-major); the surrogate then predicts each binarized map's
/// absorption (Vector&lt;Single, N&gt;). Holds its own VQ-VAE and surrogate weights and
/// saves both inside the model zip.
/// </summary>
public sealed class MicrostructureDecodeTransformer : TorchTransformerBase
{
    internal const string LoaderSignature = "MlNetInverseMsDecode";
    internal const string UserName = "MlNetInverse microstructure decoder";
    internal const string Component = "microstructure decoder";

    /// <summary>Images per decoder call, bounding the activations held at once (about 0.5 MB per image).</summary>
    private const int ImagesPerCall = 128;

    private readonly VqVaeModel _vqVae;
    private readonly AbsorptionSurrogateModel _surrogate;
    private readonly Device _device;

    internal MicrostructureDecodeTransformer(IHostEnvironment env, VqVaeModel vqVae, AbsorptionSurrogateModel surrogate, int samplesPerRow,
        string outputColumnName, string predictedAbsorptionColumnName, string inputColumnName, ComputeDevice device)
        : base(env, nameof(MicrostructureDecodeTransformer), outputColumnName, ImagesType(vqVae.Options, samplesPerRow),
            inputColumnName, LatentsType(vqVae.Options, samplesPerRow),
            [new DataViewSchema.DetachedColumn(predictedAbsorptionColumnName, new VectorDataViewType(NumberDataViewType.Single, samplesPerRow))])
    {
        if (surrogate.Options.ImageSize != vqVae.Options.ImageSize)
            throw new ArgumentException($"The surrogate takes {surrogate.Options.ImageSize}x{surrogate.Options.ImageSize} images but the VQ-VAE makes {vqVae.Options.ImageSize}x{vqVae.Options.ImageSize} images.", nameof(surrogate));
        _vqVae = vqVae;
        _surrogate = surrogate;
        _device = PlaceForInference(device, _vqVae, _surrogate);
        SamplesPerRow = samplesPerRow;
        Device = device;
        PredictedAbsorptionColumnName = predictedAbsorptionColumnName;
    }

    /// <summary>Latents (and images) per row N.</summary>
    public int SamplesPerRow { get; }

    /// <summary>Edge length S of the generated images (pixels).</summary>
    public int ImageSize => _vqVae.Options.ImageSize;

    /// <summary>The VQ-VAE architecture whose decoder this is.</summary>
    public VqVaeOptions Architecture => _vqVae.Options;

    /// <summary>The VQ-VAE whose decoder this is (for ONNX export and batch scoring; owned by this transformer).</summary>
    internal VqVaeModel VqVae => _vqVae;

    /// <summary>The surrogate that predicts each image's absorption (owned by this transformer).</summary>
    internal AbsorptionSurrogateModel Surrogate => _surrogate;

    /// <summary>Name of the predicted absorption column (Vector&lt;Single, N&gt;).</summary>
    public string PredictedAbsorptionColumnName { get; }

    /// <summary>The device requested (a saved CUDA request runs on the CPU where no GPU is present).</summary>
    public ComputeDevice Device { get; }

    /// <summary>Rows per forward pass: about 256 images, so N = 30 samples make 8 rows.</summary>
    public override int BatchSize => Math.Max(1, 256 / SamplesPerRow);

    private protected override string ComponentName => Component;

    internal static VersionInfo VersionInfo => ComponentVersion.Of<MicrostructureDecodeTransformer>("MSDECODE", LoaderSignature);

    private protected override VersionInfo GetVersionInfo() => VersionInfo;

    /// <summary>A copy of this decoder (its own models) for <paramref name="samplesPerRow"/> latents per row.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samplesPerRow"/> below 1.</exception>
    public MicrostructureDecodeTransformer WithSamplesPerRow(int samplesPerRow)
    {
        if (samplesPerRow < 1) throw new ArgumentOutOfRangeException(nameof(samplesPerRow), samplesPerRow, "Decode at least 1 sample per row.");
        return Copy(samplesPerRow, OutputColumnName, PredictedAbsorptionColumnName, InputColumnName, Device);
    }

    /// <summary>A copy (its own models) for <paramref name="samplesPerRow"/> latents per row with the given columns and device.</summary>
    internal MicrostructureDecodeTransformer Copy(int samplesPerRow, string outputColumnName, string predictedAbsorptionColumnName, string inputColumnName, ComputeDevice device) =>
        new(Host,
            ModelBytes.Copy(_vqVae.Save, reader => VqVaeModel.Load(reader, device)),
            ModelBytes.Copy(_surrogate.Save, reader => AbsorptionSurrogateModel.Load(reader, device)),
            samplesPerRow, outputColumnName, predictedAbsorptionColumnName, inputColumnName, device);

    /// <summary>
    /// The surrogate inside this decoder applied to other maps (S*S values each, x-major, binarized as fabricated):
    /// judges designs from any method on the same scale as this model's own predicted-absorption column.
    /// </summary>
    /// <exception cref="ArgumentException">A map that does not hold S*S values.</exception>
    public float[] PredictAbsorption(IReadOnlyList<float[]> maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        int s = ImageSize, pixels = s * s;
        for (int i = 0; i < maps.Count; i++)
            if (maps[i] is null || maps[i].Length != pixels)
                throw new ArgumentException($"Map {i} holds {maps[i]?.Length ?? 0} values; the surrogate takes {s}x{s} = {pixels}.", nameof(maps));
        var result = new float[maps.Count];
        using var noGrad = torch.no_grad();
        for (int start = 0; start < maps.Count; start += ImagesPerCall)
        {
            int count = Math.Min(ImagesPerCall, maps.Count - start);
            var batch = new float[count * pixels];
            for (int i = 0; i < count; i++) maps[start + i].CopyTo(batch, i * pixels);
            using var scope = torch.NewDisposeScope();
            var input = torch.tensor(batch, [count, 1, s, s]);
            if (_device.type != DeviceType.CPU) input = input.to(_device);
            _surrogate.call(input).to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray().CopyTo(result, start);
        }
        return result;
    }

    /// <summary>The last <see cref="MicrostructureDecodeTransformer"/> in <paramref name="model"/> (itself or inside a chain), or null.</summary>
    public static MicrostructureDecodeTransformer? FindIn(ITransformer model) => TransformerChains.FindLast<MicrostructureDecodeTransformer>(model);

    // *** Binary format (options block) ***
    // int:    samples per row N
    // int:    image size S (pixels)
    // string: predicted absorption column name
    // int:    requested device (ComputeDevice)
    // Weights: int byte count + VqVaeModel.Save, then int byte count + AbsorptionSurrogateModel.Save.
    private protected override void SaveOptions(BinaryWriter writer)
    {
        writer.Write(SamplesPerRow);
        writer.Write(ImageSize);
        writer.Write(PredictedAbsorptionColumnName);
        writer.Write((int)Device);
    }

    private protected override void SaveWeights(BinaryWriter writer)
    {
        // Length prefixes keep the two models apart whatever each loader reads.
        foreach (var bytes in new[] { ModelBytes.Capture(_vqVae.Save), ModelBytes.Capture(_surrogate.Save) })
        {
            writer.Write(bytes.Length);
            writer.Write(bytes);
        }
    }

    private protected override void Forward(TorchBatch batch) =>
        Decode(batch.Input, batch.Rows * SamplesPerRow, batch.Singles(0), batch.Singles(1));

    /// <summary>Latent values of one draw L (code dimension x grid x grid).</summary>
    internal int LatentLength => _vqVae.LatentLength;

    /// <summary>Images per decoder call: decoding in chunks that start at multiples of it runs the very calls of one big decode.</summary>
    internal const int DecodeBlock = ImagesPerCall;

    /// <summary>
    /// Decodes <paramref name="total"/> latents (L values each) into binarized maps (S*S each) and their surrogate
    /// absorption, <see cref="DecodeBlock"/> images per call from the first: what Transform does with a row's latents.
    /// </summary>
    internal void Decode(ReadOnlySpan<float> input, int total, Span<float> images, Span<float> predictions)
    {
        var options = _vqVae.Options;
        int s = options.ImageSize, g = options.LatentGridSize;
        int latentLength = LatentLength;
        if (input.Length < (long)total * latentLength || images.Length < (long)total * s * s || predictions.Length < total)
            throw new ArgumentException($"Buffers of {input.Length} latent values, {images.Length} pixels and {predictions.Length} predictions do not hold {total} designs.");
        using var noGrad = torch.no_grad();
        for (int start = 0; start < total; start += ImagesPerCall)
        {
            int count = Math.Min(ImagesPerCall, total - start);
            using var scope = torch.NewDisposeScope();
            var latents = torch.tensor(input.Slice(start * latentLength, count * latentLength).ToArray(), [count, options.CodeDimension, g, g]);
            if (_device.type != DeviceType.CPU) latents = latents.to(_device);
            var binary = _vqVae.DecodeDesigns(latents);
            var absorption = _surrogate.call(binary);
            binary.cpu().contiguous().data<float>().ToArray().CopyTo(images.Slice(start * s * s, count * s * s));
            absorption.to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray().CopyTo(predictions.Slice(start, count));
        }
    }

    private protected override void DisposeModel()
    {
        _vqVae.Dispose();
        _surrogate.Dispose();
    }

    internal static VectorDataViewType LatentsType(VqVaeOptions options, int samplesPerRow) =>
        new(NumberDataViewType.Single, Positive(samplesPerRow), VqVaeTransformer.LatentType(options).Size);

    /// <summary>Dimensions [N, S, S] say what the column holds; the values are laid out as before (sample n at n*S*S).</summary>
    internal static VectorDataViewType ImagesType(VqVaeOptions options, int samplesPerRow) =>
        new(NumberDataViewType.Single, Positive(samplesPerRow), options.ImageSize, options.ImageSize);

    private static int Positive(int samplesPerRow) => samplesPerRow >= 1 ? samplesPerRow
        : throw new ArgumentOutOfRangeException(nameof(samplesPerRow), samplesPerRow, "Decode at least 1 sample per row.");

    // Factory method for SignatureLoadModel.
    private static MicrostructureDecodeTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var saved = TorchModelFormat.Read(env, ctx, VersionInfo, Component);
        var (samples, imageSize, predictedColumn, device) = saved.ReadOptions(reader =>
        {
            int n = reader.ReadInt32(), s = reader.ReadInt32();
            string column = reader.ReadString();
            var requested = ReadDevice(reader);
            if (n < 1 || s < 1 || string.IsNullOrWhiteSpace(column)) throw new FormatException($"N={n}, S={s} or the column name '{column}' is invalid");
            return (n, s, column, requested);
        });
        VqVaeModel? vqVae = null;
        AbsorptionSurrogateModel? surrogate = null;
        saved.LoadWeights(reader =>
        {
            vqVae = VqVaeModel.Load(Prefixed(reader), DeviceForLoad(device));
            surrogate = AbsorptionSurrogateModel.Load(Prefixed(reader), DeviceForLoad(device));
        });
        if (vqVae!.Options.ImageSize != imageSize || surrogate!.Options.ImageSize != imageSize
            || !TorchColumnType.Accepts(ImagesType(vqVae.Options, samples), saved.OutputType)
            || !TorchColumnType.Accepts(LatentsType(vqVae.Options, samples), saved.InputType))
        {
            vqVae.Dispose();
            surrogate?.Dispose();
            throw new TorchModelFormatException($"{Component}: the options block (N={samples}, {imageSize}x{imageSize} images) does not match the saved models or columns; the model entry is corrupted.");
        }
        return new MicrostructureDecodeTransformer(env, vqVae, surrogate, samples, saved.OutputColumnName, predictedColumn,
            saved.InputColumnName, DeviceForLoad(device));
    }

    /// <summary>A reader over the next length-prefixed block.</summary>
    private static BinaryReader Prefixed(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        if (length < 0) throw new InvalidDataException($"a weight block declares {length} bytes");
        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length) throw new EndOfStreamException($"a weight block is truncated ({bytes.Length} of {length} bytes)");
        return new BinaryReader(new MemoryStream(bytes, writable: false));
    }

    // Factory method for SignatureLoadRowMapper.
    private static IRowMapper Create(IHostEnvironment env, ModelLoadContext ctx, DataViewSchema inputSchema)
        => Create(env, ctx).MakeRowMapper(inputSchema);
}
