using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Persistence;
using MlNetInverse.Models.Quantization;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Storage;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetInverse.Models.VqVae;

/// <summary>
/// The quantized autoencoder of the MDN-backed VQ-VAE (Kilic et al.): images [B, 1, S, S] with pixels in [0, 1] ->
/// encoder -> z_e [B, D, G, G] -> <see cref="VectorQuantizer"/> -> decoder -> reconstruction [B, 1, S, S] (sigmoid).
/// </summary>
/// <remarks>
/// Build models outside any dispose scope (their tensors would be disposed with it). The state_dict keys are
/// <c>encoder.*</c>, <c>quantizer.*</c> and <c>decoder.*</c>. Call <c>eval()</c> before inference: in training mode a
/// forward pass updates the codebook (EMA and dead-code restarts).
/// </remarks>
public sealed class VqVaeModel : nn.Module<Tensor, VqVaeOutput>
{
    /// <summary>Kind name written in the saved header.</summary>
    public const string Kind = nameof(VqVaeModel);

    /// <summary>
    /// Version of the saved format (see <see cref="ModelStream"/>): 2 since the weights are followed by an optional
    /// <see cref="VolumeFractionReadout"/> (a byte 0 or 1, then the readout). Version 1 streams load without one.
    /// </summary>
    public const int FormatVersion = 2;

    private const int OldestFormatVersion = 1;

    [ComponentName(Name = "encoder")] private readonly Sequential _encoder;
    [ComponentName(Name = "quantizer")] private readonly VectorQuantizer _quantizer;
    [ComponentName(Name = "decoder")] private readonly Sequential _decoder;
    private readonly PeriodicDecoding? _periodicDecoding;

    /// <summary>Creates a model with weights drawn from seed 0.</summary>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="VqVaeOptions.Validate"/>).</exception>
    public VqVaeModel(VqVaeOptions options) : this(options, seed: 0)
    {
    }

    /// <summary>Creates a model whose weights and codebook are drawn from <paramref name="seed"/> (same seed, same model).</summary>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="VqVaeOptions.Validate"/>).</exception>
    public VqVaeModel(VqVaeOptions options, long seed) : base(nameof(VqVaeModel))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _encoder = VqVaeNetworks.Encoder(options);
        _quantizer = new VectorQuantizer(options);
        _decoder = VqVaeNetworks.Decoder(options);
        _periodicDecoding = PeriodicDecoding.For(_decoder);
        RegisterComponents();
        ParameterInitializer.Initialize(this, seed);
        _quantizer.Initialize(seed);
    }

    /// <summary>The options the model was built with.</summary>
    public VqVaeOptions Options { get; }

    /// <summary>The quantizer module.</summary>
    public VectorQuantizer Quantizer => _quantizer;

    /// <summary>The codebook [K, D].</summary>
    public Tensor Codebook => _quantizer.Codebook;

    /// <summary>
    /// The volume fraction each latent asks for (fitted by <see cref="VqVaeTrainer"/> on the training maps), or null: the
    /// designs are then thresholded at <see cref="DesignBinarization.Threshold"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A readout for another latent length.</exception>
    public VolumeFractionReadout? VolumeFractionReadout
    {
        get => _volumeFractionReadout;
        set
        {
            if (value is not null && value.LatentLength != LatentLength)
                throw new ArgumentException($"The volume fraction readout takes {value.LatentLength} latent values but this VQ-VAE's latents have {LatentLength}.", nameof(value));
            _volumeFractionReadout = value;
        }
    }

    private VolumeFractionReadout? _volumeFractionReadout;

    /// <summary>Latent values per image, D*G*G.</summary>
    public int LatentLength => Options.CodeDimension * Options.LatentGridSize * Options.LatentGridSize;

    /// <summary>The device the weights live on.</summary>
    public Device Device => _quantizer.Codebook.device;

    /// <summary>Encodes images [B, 1, S, S] into z_e [B, D, G, G].</summary>
    /// <exception cref="ArgumentException">Wrong shape or a non-floating-point tensor.</exception>
    public Tensor Encode(Tensor images)
    {
        CheckImages(images, nameof(images));
        return _encoder.call(images);
    }

    /// <summary>Quantizes z_e [B, D, G, G] (see <see cref="VectorQuantizer.forward"/>).</summary>
    public QuantizerOutput Quantize(Tensor zE) => _quantizer.call(zE);

    /// <summary>
    /// Decodes a latent grid [B, D, G, G] into images [B, 1, S, S] in (0, 1). Without gradients a periodic decoder runs as
    /// <see cref="PeriodicDecoding"/> (the same values, fewer passes over memory).
    /// </summary>
    /// <exception cref="ArgumentException">Wrong shape.</exception>
    public Tensor Decode(Tensor quantized)
    {
        CheckLatents(quantized, nameof(quantized));
        if (_periodicDecoding is not null && !is_grad_enabled()) return _periodicDecoding.Decode(quantized);
        return _decoder.call(quantized);
    }

    /// <summary>The chain <see cref="Decode"/> and <see cref="DecodeIndices"/> run without gradients; null for the peer decoder.</summary>
    internal PeriodicDecoding? ScoringChain => _periodicDecoding;

    /// <summary>Decodes layer by layer through the decoder's modules, as training does (the reference for <see cref="Decode"/>).</summary>
    public Tensor DecodeByLayers(Tensor quantized)
    {
        CheckLatents(quantized, nameof(quantized));
        return _decoder.call(quantized);
    }

    /// <summary>Decodes code indices [B, G, G] (int64, in [0, K)): the codebook lookup followed by <see cref="Decode"/>.</summary>
    /// <exception cref="ArgumentException">Wrong shape, dtype or an index outside [0, K).</exception>
    public Tensor DecodeIndices(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int g = Options.LatentGridSize;
        if (indices.dim() != 3 || indices.shape[1] != g || indices.shape[2] != g)
            throw new ArgumentException($"Code indices must have shape [B, {g}, {g}]; got {VectorQuantizer.Shape(indices)}.", nameof(indices));
        using var scope = NewDisposeScope();
        if (_periodicDecoding is not null && !is_grad_enabled())
        {
            _quantizer.CheckIndices(indices);
            return _periodicDecoding.DecodeIndices(indices, _quantizer.Codebook).MoveToOuterDisposeScope();
        }
        return Decode(_quantizer.Lookup(indices)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Decodes arbitrary latents [B, D, G, G] (e.g. MDN samples): each grid vector is snapped to its nearest code, then
    /// decoded, so the decoder only ever sees codebook vectors, as in training.
    /// </summary>
    public Tensor DecodeContinuous(Tensor latents)
    {
        CheckLatents(latents, nameof(latents));
        using var scope = NewDisposeScope();
        return DecodeIndices(_quantizer.NearestIndicesForDecoding(latents)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Arbitrary latents [B, D, G, G] to fabricable designs [B, 1, S, S] (float32 0/1): <see cref="DecodeContinuous"/>,
    /// then <see cref="DesignBinarization.Binarize"/> at the volume fraction <see cref="VolumeFractionReadout"/> reads
    /// from each latent's snapped codes (at 0.5 without a readout).
    /// </summary>
    /// <remarks>
    /// The readout is fitted on quantized latents, so it reads the codes the decoder sees, not the raw draw: read from
    /// the raw draws, it asked for more material A than their codes hold, and the cut closed phase B channels.
    /// </remarks>
    public Tensor DecodeDesigns(Tensor latents)
    {
        CheckLatents(latents, nameof(latents));
        using var scope = NewDisposeScope();
        var indices = _quantizer.NearestIndicesForDecoding(latents);
        var probabilities = DecodeIndices(indices);
        var volumeFractions = _volumeFractionReadout?.Read(_quantizer.Lookup(indices));
        return DesignBinarization.Binarize(probabilities, volumeFractions).MoveToOuterDisposeScope();
    }

    /// <summary>Encode, quantize (updating the codebook in training mode) and decode.</summary>
    public override VqVaeOutput forward(Tensor images)
    {
        var zE = Encode(images);
        var quantizer = _quantizer.call(zE);
        return new VqVaeOutput(_decoder.call(quantizer.Quantized), quantizer);
    }

    /// <summary>Writes the header (options as JSON) and the weights; the writer stays open.</summary>
    public void Save(BinaryWriter writer)
    {
        ModelStream.Save(this, writer, Kind, FormatVersion, Options);
        writer.Write(_volumeFractionReadout is not null);
        _volumeFractionReadout?.Write(writer);
        writer.Flush();
    }

    /// <summary>Writes the model to the file <paramref name="path"/> atomically (temp file in the same folder, then rename).</summary>
    public void Save(string path) => AtomicFile.Write(path, Save);

    /// <summary>Writes the model to <paramref name="stream"/>, which stays open.</summary>
    public void Save(Stream stream) => ModelStream.Save(stream, Save);

    /// <summary>Rebuilds a model saved by <see cref="Save(BinaryWriter)"/>: built and loaded on the CPU, then moved to <paramref name="device"/>, in eval mode.</summary>
    /// <exception cref="InvalidDataException">Not a saved VqVaeModel, an unsupported version, or weights that do not match the options.</exception>
    public static VqVaeModel Load(BinaryReader reader, ComputeDevice device = ComputeDevice.Cpu) =>
        ModelStream.Load<VqVaeModel, VqVaeOptions>(reader, Kind, OldestFormatVersion, FormatVersion, options => new VqVaeModel(options), device, ReadAfterWeights);

    private static void ReadAfterWeights(VqVaeModel model, int version, BinaryReader reader)
    {
        if (version < 2) return;
        try
        {
            if (reader.ReadBoolean()) model._volumeFractionReadout = VolumeFractionReadout.Read(reader, model.LatentLength);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The saved VqVaeModel ends before its volume fraction readout.", e);
        }
    }

    /// <summary>Reads a model saved by <see cref="Save(string)"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static VqVaeModel Load(string path, ComputeDevice device = ComputeDevice.Cpu) =>
        ModelStream.Load(path, stream => Load(stream, device));

    /// <summary>Reads a model from <paramref name="stream"/>, which stays open.</summary>
    public static VqVaeModel Load(Stream stream, ComputeDevice device = ComputeDevice.Cpu) =>
        ModelStream.Load(stream, reader => Load(reader, device));

    private void CheckImages(Tensor images, string name)
    {
        ArgumentNullException.ThrowIfNull(images, name);
        int s = Options.ImageSize;
        if (images.dim() != 4 || images.shape[1] != 1 || images.shape[2] != s || images.shape[3] != s)
            throw new ArgumentException($"Images must have shape [B, 1, {s}, {s}]; got {VectorQuantizer.Shape(images)}.", name);
        if (!images.is_floating_point())
            throw new ArgumentException($"Images must be a floating-point tensor with pixels in [0, 1]; got {images.dtype}.", name);
    }

    private void CheckLatents(Tensor latents, string name)
    {
        ArgumentNullException.ThrowIfNull(latents, name);
        int d = Options.CodeDimension, g = Options.LatentGridSize;
        if (latents.dim() != 4 || latents.shape[1] != d || latents.shape[2] != g || latents.shape[3] != g)
            throw new ArgumentException($"Latents must have shape [B, {d}, {g}, {g}]; got {VectorQuantizer.Shape(latents)}.", name);
    }
}
