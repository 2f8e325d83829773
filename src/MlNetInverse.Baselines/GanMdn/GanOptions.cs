using MlNetInverse.Baselines.Shared;

namespace MlNetInverse.Baselines.GanMdn;

/// <summary>Architecture and training of the DCGAN inside the GAN-MDN baseline (<see cref="GanTrainer"/>).</summary>
public sealed record GanOptions
{
    /// <summary>Edge length of the images (pixels), a power of two from 8 to 256. Default 64.</summary>
    public int ImageSize { get; init; } = 64;

    /// <summary>
    /// Values in the latent z (values). Default 8 (a 2x2x2 latent for 64x64 maps, as the public GAN-MDN uses): small
    /// enough for the MDN absorption -> z to model well.
    /// </summary>
    public int LatentDimension { get; init; } = 8;

    /// <summary>Generator width C (channels): 4C at 4x4, halving at every doubling. Default 32.</summary>
    public int GeneratorChannels { get; init; } = 32;

    /// <summary>Discriminator width C (channels): C at S/2, doubling at every halving. Default 16.</summary>
    public int DiscriminatorChannels { get; init; } = 16;

    /// <summary>
    /// Passes over the training images (epochs). Default 12 (about a minute on the shipped 5,000 maps on one CPU thread;
    /// the generated volume fractions reach the data's spread, standard deviation 0.25 against 0.23, by then).
    /// </summary>
    public int Epochs { get; init; } = 12;

    /// <summary>Images per step (images). Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Adam learning rate of both networks (per step). Default 2e-4 (DCGAN).</summary>
    public double LearningRate { get; init; } = 2e-4;

    /// <summary>Adam beta1 of both networks (dimensionless). Default 0.5 (DCGAN: less momentum keeps the game stable).</summary>
    public double Beta1 { get; init; } = 0.5;

    /// <summary>Target of real images in the discriminator loss (dimensionless, in (0.5, 1]). Default 0.9 (one-sided label smoothing).</summary>
    public double RealLabel { get; init; } = 0.9;

    /// <summary>
    /// The discriminator judges images average-pooled by this factor (pixels per side). Default 4: 16x16 for 64x64 maps,
    /// where the GRF structures (periods of 16 to 43 pixels) are still resolved. At full resolution the discriminator
    /// tells the exactly binary real maps from the generator's grey levels alone, wins at once, and the generator
    /// collapsed on the shipped data (pooling 1 and 2 both did, measured); 1 switches pooling off.
    /// </summary>
    public int DiscriminatorPooling { get; init; } = 4;

    /// <summary>
    /// Weight of the latent-recovery loss (mean squared error of the discriminator's guess of z from G(z), InfoGAN;
    /// dimensionless). Default 1. Without it the generator collapsed on the shipped data within two epochs: every z gave
    /// the same map, so the MDN absorption -> z had nothing to learn. Recovering z forces G to keep z in the image.
    /// </summary>
    public double LatentRecoveryWeight { get; init; } = 1.0;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and what is allowed.</exception>
    public void Validate()
    {
        const string owner = nameof(GanOptions);
        if (!ImageNetworks.IsSupportedSize(ImageSize)) throw BaselineArguments.BadOption(owner, nameof(ImageSize), ImageSize, "a power of two from 8 to 256");
        if (LatentDimension < 1) throw BaselineArguments.BadOption(owner, nameof(LatentDimension), LatentDimension, "at least 1");
        if (GeneratorChannels < 1) throw BaselineArguments.BadOption(owner, nameof(GeneratorChannels), GeneratorChannels, "at least 1");
        if (DiscriminatorChannels < 1) throw BaselineArguments.BadOption(owner, nameof(DiscriminatorChannels), DiscriminatorChannels, "at least 1");
        if (Epochs < 1) throw BaselineArguments.BadOption(owner, nameof(Epochs), Epochs, "at least 1");
        if (BatchSize < 2) throw BaselineArguments.BadOption(owner, nameof(BatchSize), BatchSize, "at least 2 (batch norm needs 2 images)");
        if (!(LearningRate > 0 && double.IsFinite(LearningRate))) throw BaselineArguments.BadOption(owner, nameof(LearningRate), LearningRate, "a finite number > 0");
        if (!(Beta1 >= 0 && Beta1 < 1)) throw BaselineArguments.BadOption(owner, nameof(Beta1), Beta1, "in [0, 1)");
        if (DiscriminatorPooling < 1 || ImageSize % DiscriminatorPooling != 0 || !ImageNetworks.IsSupportedSize(ImageSize / DiscriminatorPooling))
            throw BaselineArguments.BadOption(owner, nameof(DiscriminatorPooling), DiscriminatorPooling, $"a divisor of ImageSize ({ImageSize}) leaving a power of two from 8");
        if (!(LatentRecoveryWeight >= 0 && double.IsFinite(LatentRecoveryWeight))) throw BaselineArguments.BadOption(owner, nameof(LatentRecoveryWeight), LatentRecoveryWeight, "finite and >= 0");
        if (!(RealLabel > 0.5 && RealLabel <= 1)) throw BaselineArguments.BadOption(owner, nameof(RealLabel), RealLabel, "in (0.5, 1]");
    }
}
