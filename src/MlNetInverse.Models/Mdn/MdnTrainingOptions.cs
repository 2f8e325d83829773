using System.Globalization;
using MlNetInverse.Models.Devices;

namespace MlNetInverse.Models.Mdn;

/// <summary>Settings of an <see cref="MdnTrainer"/> run (mixture negative log-likelihood, Adam, cosine learning rate).</summary>
public sealed record MdnTrainingOptions
{
    /// <summary>Passes over the training split (epochs). Default 200.</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>(absorption, latent) pairs per optimizer step (pairs). Default 128.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Adam learning rate at the first epoch (per step); it follows a cosine down to <see cref="FinalLearningRateFraction"/> of it. Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Learning rate of the last epoch as a fraction of <see cref="LearningRate"/> (dimensionless, in (0, 1]; 1 keeps it constant). Default 0.1.</summary>
    public double FinalLearningRateFraction { get; init; } = 0.1;

    /// <summary>
    /// Fraction of the pairs held out for testing, chosen by a seeded shuffle before the normalisation is fitted
    /// (dimensionless, in (0, 1)). Default 0.1.
    /// </summary>
    public double HeldOutFraction { get; init; } = 0.1;

    /// <summary>Seed of weight init, held-out split and shuffles. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Where to train. Default <see cref="ComputeDevice.Cpu"/>.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>Torch intra-op threads during training (threads). Default 0: keep torch's current setting.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Checkpoint file written atomically after the epochs <see cref="CheckpointIntervalSeconds"/> allows and after the
    /// last one; resumed from when it exists. Default null (none).
    /// </summary>
    public string? CheckpointPath { get; init; }

    /// <summary>
    /// Least time between two checkpoints (seconds): after an epoch the checkpoint is written only when this much time
    /// has passed since the run started or since the last one was written, and always after the last epoch. A
    /// checkpoint holds the network and both Adam moments (63 MB at 40 components and 512 latent values, synced to
    /// disk: 1-2 s against 5-8 s per epoch of pipelines/quick.json on a shared 2-core machine), so writing one every
    /// epoch cost about a fifth of the training; an interruption loses at most this much training. The weights do not
    /// depend on it. 0 writes after every epoch. Default 60.
    /// </summary>
    public double CheckpointIntervalSeconds { get; init; } = 60;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and what is allowed.</exception>
    public void Validate()
    {
        if (Epochs < 1) throw Bad(nameof(Epochs), Epochs, "at least 1");
        if (BatchSize < 1) throw Bad(nameof(BatchSize), BatchSize, "at least 1");
        if (!(LearningRate > 0 && double.IsFinite(LearningRate))) throw Bad(nameof(LearningRate), LearningRate, "a finite number > 0");
        if (!(FinalLearningRateFraction > 0 && FinalLearningRateFraction <= 1)) throw Bad(nameof(FinalLearningRateFraction), FinalLearningRateFraction, "in (0, 1]");
        if (!(HeldOutFraction > 0 && HeldOutFraction < 1)) throw Bad(nameof(HeldOutFraction), HeldOutFraction, "in (0, 1)");
        if (!Enum.IsDefined(Device)) throw Bad(nameof(Device), Device, "Cpu, Cuda or Auto");
        if (Threads < 0) throw Bad(nameof(Threads), Threads, "0 (keep torch's setting) or at least 1");
        if (CheckpointPath is not null && string.IsNullOrWhiteSpace(CheckpointPath)) throw Bad(nameof(CheckpointPath), "(blank)", "null or a file path");
        if (!(CheckpointIntervalSeconds >= 0 && double.IsFinite(CheckpointIntervalSeconds))) throw Bad(nameof(CheckpointIntervalSeconds), CheckpointIntervalSeconds, "a finite number of seconds >= 0");
    }

    /// <summary>Learning rate of zero-based <paramref name="epoch"/>: cosine from LearningRate to LearningRate * FinalLearningRateFraction.</summary>
    public double LearningRateAt(int epoch)
    {
        double progress = Epochs == 1 ? 1 : (double)epoch / (Epochs - 1);
        double final = LearningRate * FinalLearningRateFraction;
        return final + (LearningRate - final) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    private static ArgumentException Bad(string option, object value, string expected) =>
        new($"MdnTrainingOptions.{option} must be {expected}; got {Convert.ToString(value, CultureInfo.InvariantCulture)}.", option);
}
