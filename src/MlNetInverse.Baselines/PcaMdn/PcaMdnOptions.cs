using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;

namespace MlNetInverse.Baselines.PcaMdn;

/// <summary>Settings of the PCA-MDN baseline (<see cref="PcaMdnTrainer"/>).</summary>
public sealed record PcaMdnOptions
{
    /// <summary>Edge length of the images (pixels). Default 64.</summary>
    public int ImageSize { get; init; } = 64;

    /// <summary>
    /// Principal components kept k (components). Default 32: on the shipped 64x64 GRF maps they hold most of the
    /// coarse structure that sets the absorption (ring wavenumbers 1.5-4 cycles per cell), and 32 diagonal Gaussians
    /// per mixture component stay easy for the MDN to fit; more components mostly add pixel-level detail.
    /// </summary>
    public int Components { get; init; } = 32;

    /// <summary>The MDN absorption -> coefficients; its LatentDimension is set to <see cref="Components"/>. Default: 40 components (the paper), 2 x 128 tanh units.</summary>
    public MdnOptions Mdn { get; init; } = new();

    /// <summary>
    /// MDN training (epochs, batch, learning rate, held-out share). Default: 200 epochs, batch 128, lr 1e-3, 10 % held
    /// out. Its Seed, Device and Threads are replaced by <see cref="Seed"/>, <see cref="Device"/> and <see cref="Threads"/>.
    /// </summary>
    public MdnTrainingOptions MdnTraining { get; init; } = new();

    /// <summary>How reconstructions become binary maps. Default <see cref="BinarizationRule.PredictedVolumeFraction"/> (PCA reconstructions are blurry).</summary>
    public BinarizationRule Binarization { get; init; } = BinarizationRule.PredictedVolumeFraction;

    /// <summary>Seed of the MDN's weights, split and shuffles (the PCA itself is deterministic). Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Where to fit and train. Default <see cref="ComputeDevice.Cpu"/>.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>Torch intra-op threads while training (threads). Default 0: keep torch's setting.</summary>
    public int Threads { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and what is allowed.</exception>
    public void Validate()
    {
        const string owner = nameof(PcaMdnOptions);
        if (ImageSize < 2) throw BaselineArguments.BadOption(owner, nameof(ImageSize), ImageSize, "at least 2");
        if (Components < 1 || Components > ImageSize * ImageSize)
            throw BaselineArguments.BadOption(owner, nameof(Components), Components, $"between 1 and ImageSize^2 = {ImageSize * ImageSize}");
        if (Mdn is null) throw BaselineArguments.BadOption(owner, nameof(Mdn), "null", "MDN options");
        if (MdnTraining is null) throw BaselineArguments.BadOption(owner, nameof(MdnTraining), "null", "MDN training options");
        if (!Enum.IsDefined(Binarization)) throw BaselineArguments.BadOption(owner, nameof(Binarization), Binarization, "Threshold or PredictedVolumeFraction");
        if (!Enum.IsDefined(Device)) throw BaselineArguments.BadOption(owner, nameof(Device), Device, "Cpu, Cuda or Auto");
        if (Threads < 0) throw BaselineArguments.BadOption(owner, nameof(Threads), Threads, "0 (keep torch's setting) or at least 1");
        MdnModelOptions.Validate();
        MdnTrainingOptions.Validate();
    }

    /// <summary>The MDN architecture actually built: <see cref="Mdn"/> with LatentDimension = <see cref="Components"/>.</summary>
    internal MdnOptions MdnModelOptions => Mdn with { LatentDimension = Components };

    /// <summary>The MDN training actually run: <see cref="MdnTraining"/> with this record's seed, device and threads.</summary>
    internal MdnTrainingOptions MdnTrainingOptions => MdnTraining with { Seed = Seed, Device = Device, Threads = Threads };
}
