using MlNetInverse.ML.Data;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.Training;

namespace MlNetInverse.ML.Surrogate;

/// <summary>
/// Settings of <see cref="AbsorptionSurrogateEstimator"/>: columns, the surrogate CNN's size and its training
/// (mean squared error on standardized labels, Adam with a cosine learning rate; see <see cref="SurrogateTrainer"/>).
/// </summary>
public sealed class AbsorptionSurrogateEstimatorOptions
{
    /// <summary>Predicted absorption column to write (Single). Default "PredictedAbsorption".</summary>
    public string OutputColumnName { get; set; } = MicrostructureColumns.PredictedAbsorption;

    /// <summary>Image column to read (Vector&lt;Single, S*S&gt;, pixels in [0, 1], S a power of two &gt;= 8). Default "Image".</summary>
    public string ImageColumnName { get; set; } = MicrostructureColumns.Image;

    /// <summary>Absorption label column to learn (Single). Default "Absorption".</summary>
    public string LabelColumnName { get; set; } = MicrostructureColumns.Absorption;

    /// <summary>Channels of the first convolution stage (channels); later stages use 2x and 4x. Default 16.</summary>
    public int BaseChannels { get; set; } = 16;

    /// <summary>Units of the regression head's hidden layer (units). Default 64.</summary>
    public int HiddenUnits { get; set; } = 64;

    /// <summary>
    /// Largest |k|^2 (cycles per cell, squared) of the Fourier shells whose power also feeds the head; 0 = none.
    /// Default 0. On light-trapping stacks the low-order shells carry most of what volume fraction does not explain.
    /// </summary>
    public int SpectralShells { get; set; }

    /// <summary>Passes over the training rows (epochs). Default 40.</summary>
    public int Epochs { get; set; } = 40;

    /// <summary>Images per optimizer step (images). Default 64.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Adam learning rate at the first epoch (per step), cosine-annealed. Default 2e-3.</summary>
    public double LearningRate { get; set; } = 2e-3;

    /// <summary>Learning rate of the last epoch as a fraction of <see cref="LearningRate"/> (in (0, 1]). Default 0.05.</summary>
    public double FinalLearningRateFraction { get; set; } = 0.05;

    /// <summary>
    /// Fraction of the rows held out (seeded shuffle, before anything is learned) to measure the surrogate
    /// (<see cref="AbsorptionSurrogateTransformer.HeldOut"/>); they are not trained on. In (0, 1). Default 0.2.
    /// </summary>
    public double HeldOutFraction { get; set; } = 0.2;

    /// <summary>Train on random square symmetries (rotations by 90 degrees, mirrors) of each batch. Default true.</summary>
    public bool Augment { get; set; } = true;

    /// <summary>Seed of weight init, held-out split, shuffles and augmentation. Default 0.</summary>
    public long Seed { get; set; }

    /// <summary>Where to train and run: Cpu, Cuda (fails without CUDA) or Auto (CUDA when present). Default Cpu.</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Cpu;

    /// <summary>Torch intra-op threads while training (threads). Default 0: keep torch's current setting.</summary>
    public int Threads { get; set; }

    /// <summary>Checkpoint written after every epoch; an existing one is resumed. Default null (none).</summary>
    public string? CheckpointPath { get; set; }

    /// <summary>Receives each finished epoch's metrics (not saved with the model). Default null.</summary>
    public IProgress<SurrogateEpochMetrics>? Progress { get; set; }

    /// <summary>Cancels training between steps (not saved with the model). Default none.</summary>
    public CancellationToken CancellationToken { get; set; }
}
