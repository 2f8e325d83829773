using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;

namespace MlNetInverse.Baselines.MdnInverse;

/// <summary>Settings of the MDN-based deep learning inverse model (<see cref="MdnInverseTrainer"/>).</summary>
public sealed record MdnInverseOptions
{
    /// <summary>Edge length of the images (pixels), a power of two from 8 to 256. Default 64.</summary>
    public int ImageSize { get; init; } = 64;

    /// <summary>Values in the learned code the MDN models (values). Default 16: compact enough for a 40-component diagonal mixture.</summary>
    public int CodeDimension { get; init; } = 16;

    /// <summary>Encoder width C (channels): C at S/2, doubling at every halving. Default 16.</summary>
    public int EncoderChannels { get; init; } = 16;

    /// <summary>Decoder width C (channels): 4C at 4x4, halving at every doubling. Default 32.</summary>
    public int DecoderChannels { get; init; } = 32;

    /// <summary>The MDN absorption -> code; its LatentDimension is set to <see cref="CodeDimension"/>. Default: 40 components (the paper), 2 x 128 tanh units.</summary>
    public MdnOptions Mdn { get; init; } = new();

    /// <summary>
    /// Weight of the mixture negative log-likelihood of the code against the image reconstruction loss (dimensionless).
    /// Default 1: both are per-image log-likelihoods (Bernoulli pixels, summed; the code's mixture density), so weight 1
    /// maximises the joint likelihood of image and code given the absorption.
    /// </summary>
    public double LikelihoodWeight { get; init; } = 1.0;

    /// <summary>Passes over the training images (epochs). Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Images per step (images). Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Adam learning rate (per step). Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>How decoder outputs become binary maps. Default <see cref="BinarizationRule.PredictedVolumeFraction"/>.</summary>
    public BinarizationRule Binarization { get; init; } = BinarizationRule.PredictedVolumeFraction;

    /// <summary>Seed of weights and shuffles. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Where to train. Default <see cref="ComputeDevice.Cpu"/>.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>Torch intra-op threads while training (threads). Default 0: keep torch's setting.</summary>
    public int Threads { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and what is allowed.</exception>
    public void Validate()
    {
        const string owner = nameof(MdnInverseOptions);
        if (!ImageNetworks.IsSupportedSize(ImageSize)) throw BaselineArguments.BadOption(owner, nameof(ImageSize), ImageSize, "a power of two from 8 to 256");
        if (CodeDimension < 1) throw BaselineArguments.BadOption(owner, nameof(CodeDimension), CodeDimension, "at least 1");
        if (EncoderChannels < 1) throw BaselineArguments.BadOption(owner, nameof(EncoderChannels), EncoderChannels, "at least 1");
        if (DecoderChannels < 1) throw BaselineArguments.BadOption(owner, nameof(DecoderChannels), DecoderChannels, "at least 1");
        if (Mdn is null) throw BaselineArguments.BadOption(owner, nameof(Mdn), "null", "MDN options");
        if (!(LikelihoodWeight > 0 && double.IsFinite(LikelihoodWeight))) throw BaselineArguments.BadOption(owner, nameof(LikelihoodWeight), LikelihoodWeight, "a finite number > 0");
        if (Epochs < 1) throw BaselineArguments.BadOption(owner, nameof(Epochs), Epochs, "at least 1");
        if (BatchSize < 2) throw BaselineArguments.BadOption(owner, nameof(BatchSize), BatchSize, "at least 2 (batch norm needs 2 images)");
        if (!(LearningRate > 0 && double.IsFinite(LearningRate))) throw BaselineArguments.BadOption(owner, nameof(LearningRate), LearningRate, "a finite number > 0");
        if (!Enum.IsDefined(Binarization)) throw BaselineArguments.BadOption(owner, nameof(Binarization), Binarization, "Threshold or PredictedVolumeFraction");
        if (!Enum.IsDefined(Device)) throw BaselineArguments.BadOption(owner, nameof(Device), Device, "Cpu, Cuda or Auto");
        if (Threads < 0) throw BaselineArguments.BadOption(owner, nameof(Threads), Threads, "0 (keep torch's setting) or at least 1");
        MdnModelOptions.ValidateForModel();
    }

    /// <summary>The MDN architecture actually built: <see cref="Mdn"/> with LatentDimension = <see cref="CodeDimension"/>.</summary>
    internal MdnOptions MdnModelOptions => Mdn with { LatentDimension = CodeDimension };
}
