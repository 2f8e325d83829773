using System.Text.Json.Serialization;
using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;

namespace MlNetInverse.Baselines.LatentMdn;

/// <summary>
/// Settings every "MDN over a latent space + decoder + binarize" baseline shares (<see cref="LatentMdnMethod{TOptions, TDecoder}"/>):
/// the MDN, its training, the binarization, seed, device and threads. PCA-MDN and GAN-MDN add the latent space.
/// </summary>
/// <remarks>
/// The shared settings come after a baseline's own ones in the saved JSON header (pinned with
/// <see cref="JsonPropertyOrderAttribute"/>), the order the baselines were written in before they shared this record.
/// </remarks>
public abstract record LatentMdnOptions
{
    /// <summary>
    /// The MDN absorption -> latent; its LatentDimension is set to the latent space's. Default: 40 components (the
    /// paper), 2 x 128 tanh units.
    /// </summary>
    [JsonPropertyOrder(1)]
    public MdnOptions Mdn { get; init; } = new();

    /// <summary>
    /// MDN training (epochs, batch, learning rate, held-out share). Default: 200 epochs, batch 128, lr 1e-3, 10 % held
    /// out. Its Seed, Device and Threads are replaced by <see cref="Seed"/>, <see cref="Device"/> and <see cref="Threads"/>.
    /// </summary>
    [JsonPropertyOrder(2)]
    public MdnTrainingOptions MdnTraining { get; init; } = new();

    /// <summary>How decoded images become binary maps (for generation, and for GAN-MDN's labels). Default <see cref="BinarizationRule.PredictedVolumeFraction"/>.</summary>
    [JsonPropertyOrder(3)]
    public BinarizationRule Binarization { get; init; } = BinarizationRule.PredictedVolumeFraction;

    /// <summary>
    /// Seed of every random draw of training: the MDN's weights, split and shuffles, and for GAN-MDN also the GAN's
    /// weights, shuffles and noise and the labelled latents (the PCA itself is deterministic). Default 0.
    /// </summary>
    [JsonPropertyOrder(4)]
    public long Seed { get; init; }

    /// <summary>Where to fit and train. Default <see cref="ComputeDevice.Cpu"/>.</summary>
    [JsonPropertyOrder(5)]
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>Torch intra-op threads while training (threads). Default 0: keep torch's setting.</summary>
    [JsonPropertyOrder(6)]
    public int Threads { get; init; }

    /// <summary>Values per latent vector (the MDN's LatentDimension).</summary>
    internal abstract int LatentDimension { get; }

    /// <summary>Edge length of the decoded images (pixels).</summary>
    internal abstract int DecodedImageSize { get; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and what is allowed.</exception>
    public void Validate()
    {
        string owner = GetType().Name;
        ValidateLatentSpace();
        if (Mdn is null) throw BaselineArguments.BadOption(owner, nameof(Mdn), "null", "MDN options");
        if (MdnTraining is null) throw BaselineArguments.BadOption(owner, nameof(MdnTraining), "null", "MDN training options");
        if (!Enum.IsDefined(Binarization)) throw BaselineArguments.BadOption(owner, nameof(Binarization), Binarization, "Threshold or PredictedVolumeFraction");
        if (!Enum.IsDefined(Device)) throw BaselineArguments.BadOption(owner, nameof(Device), Device, "Cpu, Cuda or Auto");
        if (Threads < 0) throw BaselineArguments.BadOption(owner, nameof(Threads), Threads, "0 (keep torch's setting) or at least 1");
        MdnModelOptions.Validate();
        MdnTrainingOptions.Validate();
    }

    /// <summary>Checks the latent space's own options (first, since the MDN's latent dimension comes from them).</summary>
    private protected abstract void ValidateLatentSpace();

    /// <summary>The MDN architecture actually built: <see cref="Mdn"/> with the latent space's dimension.</summary>
    internal MdnOptions MdnModelOptions => Mdn with { LatentDimension = LatentDimension };

    /// <summary>The MDN training actually run: <see cref="MdnTraining"/> with this record's seed, device and threads.</summary>
    internal MdnTrainingOptions MdnTrainingOptions => MdnTraining with { Seed = Seed, Device = Device, Threads = Threads };

    /// <summary>Trains the MDN absorption -> latent on <paramref name="absorption"/> (N values) and <paramref name="latents"/> (N * L values).</summary>
    internal MdnTrainingResult TrainMdn(
        float[] absorption, float[] latents, IProgress<BaselineTrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var training = MdnTrainingOptions;
        return new MdnTrainer(MdnModelOptions, training).Train(absorption, latents, new MdnProgressForwarder(progress, training.Epochs), cancellationToken);
    }
}
