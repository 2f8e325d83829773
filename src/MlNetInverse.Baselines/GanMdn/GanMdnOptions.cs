using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;

namespace MlNetInverse.Baselines.GanMdn;

/// <summary>Settings of the GAN-MDN baseline (<see cref="GanMdnTrainer"/>).</summary>
public sealed record GanMdnOptions
{
    /// <summary>The DCGAN. Default: 64x64 images, 8 latent values, 5 epochs.</summary>
    public GanOptions Gan { get; init; } = new();

    /// <summary>
    /// Generated samples G(z) whose (absorption, z) pairs train the MDN (samples). Default 5000 (as many as the shipped
    /// dataset holds). Each is binarized as at generation and labelled by the evaluator passed to the trainer.
    /// </summary>
    public int LabelledSamples { get; init; } = 5000;

    /// <summary>The MDN absorption -> z; its LatentDimension is set to the GAN's. Default: 40 components (the paper), 2 x 128 tanh units.</summary>
    public MdnOptions Mdn { get; init; } = new();

    /// <summary>
    /// MDN training. Default: 200 epochs, batch 128, lr 1e-3, 10 % held out. Its Seed, Device and Threads are replaced
    /// by <see cref="Seed"/>, <see cref="Device"/> and <see cref="Threads"/>.
    /// </summary>
    public MdnTrainingOptions MdnTraining { get; init; } = new();

    /// <summary>How generator outputs become binary maps (for labels and for generation alike). Default <see cref="BinarizationRule.PredictedVolumeFraction"/>.</summary>
    public BinarizationRule Binarization { get; init; } = BinarizationRule.PredictedVolumeFraction;

    /// <summary>Seed of the GAN's weights, shuffles and noise, the labelled latents and the MDN. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Where to train. Default <see cref="ComputeDevice.Cpu"/>.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>Torch intra-op threads while training (threads). Default 0: keep torch's setting.</summary>
    public int Threads { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and what is allowed.</exception>
    public void Validate()
    {
        const string owner = nameof(GanMdnOptions);
        if (Gan is null) throw BaselineArguments.BadOption(owner, nameof(Gan), "null", "GAN options");
        if (Mdn is null) throw BaselineArguments.BadOption(owner, nameof(Mdn), "null", "MDN options");
        if (MdnTraining is null) throw BaselineArguments.BadOption(owner, nameof(MdnTraining), "null", "MDN training options");
        Gan.Validate();
        if (LabelledSamples < 2) throw BaselineArguments.BadOption(owner, nameof(LabelledSamples), LabelledSamples, "at least 2 (one to train the MDN, one to test it)");
        if (!Enum.IsDefined(Binarization)) throw BaselineArguments.BadOption(owner, nameof(Binarization), Binarization, "Threshold or PredictedVolumeFraction");
        if (!Enum.IsDefined(Device)) throw BaselineArguments.BadOption(owner, nameof(Device), Device, "Cpu, Cuda or Auto");
        if (Threads < 0) throw BaselineArguments.BadOption(owner, nameof(Threads), Threads, "0 (keep torch's setting) or at least 1");
        MdnModelOptions.Validate();
        MdnTrainingOptions.Validate();
    }

    /// <summary>The MDN architecture actually built: <see cref="Mdn"/> with the GAN's latent dimension.</summary>
    internal MdnOptions MdnModelOptions => Mdn with { LatentDimension = Gan.LatentDimension };

    /// <summary>The MDN training actually run: <see cref="MdnTraining"/> with this record's seed, device and threads.</summary>
    internal MdnTrainingOptions MdnTrainingOptions => MdnTraining with { Seed = Seed, Device = Device, Threads = Threads };
}
