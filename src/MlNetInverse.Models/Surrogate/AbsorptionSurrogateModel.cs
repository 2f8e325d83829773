using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Persistence;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Runtime;
using MlNetInverse.Physics.Storage;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Surrogate;

/// <summary>
/// A small differentiable CNN that predicts the absorption label of a microstructure: images [B, 1, S, S] with pixels
/// in [0, 1] -> absorption [B]. It stands in for RCWA inside the VQ-VAE's absorption loss.
/// </summary>
/// <remarks>
/// Three stages of two 3x3 convolutions (the second with stride 2), all with circular padding because the image is one
/// periodic unit cell: a cyclic shift of the pattern is the same structure, and with circular padding and global
/// average pooling the prediction is shift-invariant by construction. The spatial means of every stage (fine, middle
/// and coarse scale; interface statistics live at the finest) plus the volume fraction (mean pixel, the strongest single
/// predictor) feed a two-layer head, with, when <see cref="AbsorptionSurrogateOptions.SpectralShells"/> is set, the
/// power of the pattern's low-order Fourier shells (<see cref="Surrogate.SpectralShells"/>), what light trapping reads. Labels are standardized with the training split's mean and standard deviation,
/// kept as buffers (<c>label_mean</c>, <c>label_std</c>) so they persist with the weights.
/// </remarks>
public sealed class AbsorptionSurrogateModel : nn.Module<Tensor, Tensor>
{
    /// <summary>Kind name written in the saved header.</summary>
    public const string Kind = nameof(AbsorptionSurrogateModel);

    /// <summary>Version of the saved format (see <see cref="ModelStream"/>).</summary>
    public const int FormatVersion = 1;

    [ComponentName(Name = "stage1")] private readonly Sequential _stage1;
    [ComponentName(Name = "stage2")] private readonly Sequential _stage2;
    [ComponentName(Name = "stage3")] private readonly Sequential _stage3;
    [ComponentName(Name = "head")] private readonly Sequential _head;
    [ComponentName(Name = "label_mean")] private readonly Tensor _labelMean;
    [ComponentName(Name = "label_std")] private readonly Tensor _labelStd;
    private readonly SpectralShells? _spectrum;

    /// <summary>Creates a model with weights drawn from seed 0.</summary>
    public AbsorptionSurrogateModel(AbsorptionSurrogateOptions options) : this(options, seed: 0)
    {
    }

    /// <summary>Creates a model whose weights are drawn from <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public AbsorptionSurrogateModel(AbsorptionSurrogateOptions options, long seed) : base(nameof(AbsorptionSurrogateModel))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        int c = options.BaseChannels;
        _stage1 = Stage(1, c);
        _stage2 = Stage(c, 2 * c);
        _stage3 = Stage(2 * c, 4 * c);
        // Not a field of Tensor type: the shells are fixed by the options, so they are rebuilt, never saved as buffers.
        _spectrum = options.SpectralShells > 0 ? new SpectralShells(options.ImageSize, options.SpectralShells) : null;
        int features = 7 * c + 1 + (_spectrum?.Shells.Count ?? 0);
        _head = nn.Sequential(("0", nn.Linear(features, options.HiddenUnits)), ("1", nn.ReLU()), ("2", nn.Linear(options.HiddenUnits, 1)));
        _labelMean = zeros(1);
        _labelStd = ones(1);
        RegisterComponents();
        ParameterInitializer.Initialize(this, seed);
    }

    /// <summary>The options the model was built with.</summary>
    public AbsorptionSurrogateOptions Options { get; }

    /// <summary>The Fourier shells feeding the head, or null.</summary>
    public SpectralShells? Spectrum => _spectrum;

    /// <summary>The device the weights live on.</summary>
    public Device Device => _labelMean.device;

    /// <summary>Mean of the training labels (the prediction of a zero head output).</summary>
    public double LabelMean => _labelMean.cpu().to_type(ScalarType.Float64).item<double>();

    /// <summary>Standard deviation of the training labels (scale of the head output).</summary>
    public double LabelStandardDeviation => _labelStd.cpu().to_type(ScalarType.Float64).item<double>();

    /// <summary>Sets the label standardization (done by the trainer from the training split).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Non-finite mean, or a standard deviation that is not finite and &gt; 0.</exception>
    public void SetLabelScale(double mean, double standardDeviation)
    {
        if (!double.IsFinite(mean)) throw new ArgumentOutOfRangeException(nameof(mean), mean, "The label mean must be finite.");
        if (!(standardDeviation > 0 && double.IsFinite(standardDeviation)))
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, "The label standard deviation must be finite and > 0.");
        using var noGrad = no_grad();
        _labelMean.fill_(HeldScalar.Of(mean));
        _labelStd.fill_(HeldScalar.Of(standardDeviation));
    }

    /// <summary>Predicted absorption [B] for images [B, 1, S, S].</summary>
    /// <exception cref="ArgumentException">Wrong shape or a non-floating-point tensor.</exception>
    public override Tensor forward(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        int s = Options.ImageSize;
        if (images.dim() != 4 || images.shape[1] != 1 || images.shape[2] != s || images.shape[3] != s)
            throw new ArgumentException($"Images must have shape [B, 1, {s}, {s}]; got [{string.Join(", ", images.shape)}].", nameof(images));
        if (!images.is_floating_point())
            throw new ArgumentException($"Images must be a floating-point tensor with pixels in [0, 1]; got {images.dtype}.", nameof(images));
        using var scope = NewDisposeScope();
        var fine = _stage1.call(images);
        var middle = _stage2.call(fine);
        var coarse = _stage3.call(middle);
        var volumeFraction = images.mean([1L, 2L, 3L]).unsqueeze(1);
        var summary = _spectrum is null
            ? cat([fine.mean([2L, 3L]), middle.mean([2L, 3L]), coarse.mean([2L, 3L]), volumeFraction], 1)
            : cat([fine.mean([2L, 3L]), middle.mean([2L, 3L]), coarse.mean([2L, 3L]), volumeFraction, _spectrum.Of(images)], 1);
        var standardized = _head.call(summary).squeeze(1);
        return standardized.mul(_labelStd).Plus(_labelMean).MoveToOuterDisposeScope();
    }

    /// <summary>Writes the header (options as JSON) and the weights; the writer stays open.</summary>
    public void Save(BinaryWriter writer) => ModelStream.Save(this, writer, Kind, FormatVersion, Options);

    /// <summary>Writes the model to the file <paramref name="path"/> atomically (temp file in the same folder, then rename).</summary>
    public void Save(string path) => AtomicFile.Write(path, Save);

    /// <summary>Writes the model to <paramref name="stream"/>, which stays open.</summary>
    public void Save(Stream stream) => ModelStream.Save(stream, Save);

    /// <summary>Rebuilds a model saved by <see cref="Save(BinaryWriter)"/>: built and loaded on the CPU, then moved to <paramref name="device"/>, in eval mode.</summary>
    /// <exception cref="InvalidDataException">Not a saved AbsorptionSurrogateModel, an unsupported version, or weights that do not match the options.</exception>
    public static AbsorptionSurrogateModel Load(BinaryReader reader, ComputeDevice device = ComputeDevice.Cpu) =>
        ModelStream.Load<AbsorptionSurrogateModel, AbsorptionSurrogateOptions>(reader, Kind, FormatVersion, options => new AbsorptionSurrogateModel(options), device);

    /// <summary>Reads a model saved by <see cref="Save(string)"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static AbsorptionSurrogateModel Load(string path, ComputeDevice device = ComputeDevice.Cpu) =>
        ModelStream.Load(path, stream => Load(stream, device));

    /// <summary>Reads a model from <paramref name="stream"/>, which stays open.</summary>
    public static AbsorptionSurrogateModel Load(Stream stream, ComputeDevice device = ComputeDevice.Cpu) =>
        ModelStream.Load(stream, reader => Load(reader, device));

    /// <summary>Conv 3x3 ReLU Conv 3x3 stride 2 ReLU, circular padding.</summary>
    private static Sequential Stage(int input, int output) => nn.Sequential(
        ("0", Conv(input, output, 1)), ("1", nn.ReLU()), ("2", Conv(output, output, 2)), ("3", nn.ReLU()));

    private static Conv2d Conv(int input, int output, int stride) =>
        nn.Conv2d(input, output, 3, stride: stride, padding: 1, padding_mode: PaddingModes.Circular);
}
