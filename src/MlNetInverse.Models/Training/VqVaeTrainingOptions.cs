using System.Globalization;
using MlNetInverse.Models.Devices;

namespace MlNetInverse.Models.Training;

/// <summary>Settings of a <see cref="VqVaeTrainer"/> run. Loss (paper eq. 1): Alpha*R + Beta*A + Theta*V + C.</summary>
public sealed record VqVaeTrainingOptions
{
    /// <summary>Passes over the data (epochs). Default 100 (the paper trains 1500).</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Images per optimizer step (images). Default 128, as in the paper.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Adam learning rate (per step). Default 3e-4, as in the paper.</summary>
    public double LearningRate { get; init; } = 3e-4;

    /// <summary>Weight alpha of the reconstruction loss R = mean squared pixel error (dimensionless). Default 0.1.</summary>
    public double Alpha { get; init; } = 0.1;

    /// <summary>Weight beta of the absorption loss A (dimensionless). Default 1.2; ignored (0) when no surrogate is given.</summary>
    public double Beta { get; init; } = 1.2;

    /// <summary>Weight theta of the codebook loss V (dimensionless), used when the quantizer learns by codebook loss. Default 1.2.</summary>
    public double Theta { get; init; } = 1.2;

    /// <summary>
    /// A is computed on max(1, batch / AbsorptionSubsetDivisor) random images of each batch (the paper's n_batch/32).
    /// Default 32.
    /// </summary>
    public int AbsorptionSubsetDivisor { get; init; } = 32;

    /// <summary>What the surrogate's prediction for x_hat is compared with. Default <see cref="AbsorptionReference.SurrogateOfInput"/>.</summary>
    public AbsorptionReference AbsorptionReference { get; init; } = AbsorptionReference.SurrogateOfInput;

    /// <summary>Seed of weight init, codebook, shuffles, absorption subsets and code restarts. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Where to train. Default <see cref="ComputeDevice.Cpu"/>.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>
    /// Checkpoint file written after every epoch (atomically); when it exists at the start, training resumes from it.
    /// Default null (no checkpoint).
    /// </summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Torch intra-op threads during training (threads). Default 0: keep torch's current setting.</summary>
    public int Threads { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and what is allowed.</exception>
    public void Validate()
    {
        if (Epochs < 1) throw Bad(nameof(Epochs), Epochs, "at least 1");
        if (BatchSize < 1) throw Bad(nameof(BatchSize), BatchSize, "at least 1");
        if (!(LearningRate > 0 && double.IsFinite(LearningRate))) throw Bad(nameof(LearningRate), LearningRate, "a finite number > 0");
        if (!(Alpha >= 0 && double.IsFinite(Alpha))) throw Bad(nameof(Alpha), Alpha, "a finite number >= 0");
        if (!(Beta >= 0 && double.IsFinite(Beta))) throw Bad(nameof(Beta), Beta, "a finite number >= 0");
        if (!(Theta >= 0 && double.IsFinite(Theta))) throw Bad(nameof(Theta), Theta, "a finite number >= 0");
        if (AbsorptionSubsetDivisor < 1) throw Bad(nameof(AbsorptionSubsetDivisor), AbsorptionSubsetDivisor, "at least 1");
        if (!Enum.IsDefined(AbsorptionReference)) throw Bad(nameof(AbsorptionReference), AbsorptionReference, "SurrogateOfInput or Label");
        if (!Enum.IsDefined(Device)) throw Bad(nameof(Device), Device, "Cpu, Cuda or Auto");
        if (CheckpointPath is not null && string.IsNullOrWhiteSpace(CheckpointPath)) throw Bad(nameof(CheckpointPath), "(blank)", "null or a file path");
        if (Threads < 0) throw Bad(nameof(Threads), Threads, "0 (keep torch's setting) or at least 1");
    }

    private static ArgumentException Bad(string option, object value, string expected) =>
        new($"VqVaeTrainingOptions.{option} must be {expected}; got {Convert.ToString(value, CultureInfo.InvariantCulture)}.", option);
}
