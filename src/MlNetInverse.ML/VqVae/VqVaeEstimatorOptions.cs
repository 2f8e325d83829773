using MlNetInverse.Models.VqVae;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Quantization;
using MlNetInverse.Models.Training;

namespace MlNetInverse.ML.VqVae;

/// <summary>
/// Settings of <see cref="VqVaeEstimator"/>: columns, architecture, and training with the paper's loss
/// Alpha*R + Beta*A + Theta*V + C (see <see cref="VqVaeTrainer"/>). The absorption term A needs a surrogate: either a
/// fitted <see cref="Surrogate"/> or one trained inside Fit (<see cref="SurrogateTraining"/>); with neither, or with
/// Beta = 0, A is left out.
/// </summary>
public sealed class VqVaeEstimatorOptions
{
    /// <summary>Quantized latent column to write (Vector&lt;Single, D*G*G&gt;, element d*G*G + gx*G + gy). Default "Latent".</summary>
    public string LatentColumnName { get; set; } = MicrostructureColumns.Latent;

    /// <summary>Code index column to write (Vector&lt;Int32, G*G&gt;, element gx*G + gy). Default "CodeIndices".</summary>
    public string CodeIndicesColumnName { get; set; } = MicrostructureColumns.CodeIndices;

    /// <summary>Reconstruction column to write (Vector&lt;Single, S*S&gt;, sigmoid output). Default null: none.</summary>
    public string? ReconstructionColumnName { get; set; }

    /// <summary>Image column to read (Vector&lt;Single, S*S&gt;, pixels in [0, 1], S a power of two &gt;= 8). Default "Image".</summary>
    public string ImageColumnName { get; set; } = MicrostructureColumns.Image;

    /// <summary>
    /// Absorption label column (Single), read only when a surrogate is trained in Fit or
    /// <see cref="AbsorptionReference"/> is Label. Default "Absorption".
    /// </summary>
    public string AbsorptionColumnName { get; set; } = MicrostructureColumns.Absorption;

    /// <summary>Number of codes K in the codebook. Default 512.</summary>
    public int CodebookSize { get; set; } = 512;

    /// <summary>Length D of each code vector (latent channels). Default 16.</summary>
    public int CodeDimension { get; set; } = 16;

    /// <summary>Edge length G of the latent grid (cells); S / G must be a power of two &gt;= 4. Default 16.</summary>
    public int LatentGridSize { get; set; } = 16;

    /// <summary>Channels of the first convolution (channels); deeper ones use twice as many. Default 32.</summary>
    public int HiddenChannels { get; set; } = 32;

    /// <summary>Encoder/decoder stacks. Default <see cref="VqVaeArchitecture.Peer"/>; Residual reconstructs better.</summary>
    public VqVaeArchitecture Architecture { get; set; } = VqVaeArchitecture.Peer;

    /// <summary>How the codebook learns. Default <see cref="QuantizerUpdate.Ema"/>.</summary>
    public QuantizerUpdate Update { get; set; } = QuantizerUpdate.Ema;

    /// <summary>Weight beta_c of the commitment loss (dimensionless). Default 0.25.</summary>
    public double CommitmentCost { get; set; } = 0.25;

    /// <summary>Training steps a code may go unused before it restarts on an encoder output (steps; 0 = never). Default 100.</summary>
    public int DeadCodeThreshold { get; set; } = 100;

    /// <summary>Passes over the data (epochs). Default 100 (the paper trains 1500).</summary>
    public int Epochs { get; set; } = 100;

    /// <summary>Images per optimizer step (images). Default 128.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>Adam learning rate (per step). Default 3e-4.</summary>
    public double LearningRate { get; set; } = 3e-4;

    /// <summary>Weight alpha of the reconstruction loss R (dimensionless). Default 0.1.</summary>
    public double Alpha { get; set; } = 0.1;

    /// <summary>Weight beta of the absorption loss A (dimensionless). Default 1.2; 0 without a surrogate.</summary>
    public double Beta { get; set; } = 1.2;

    /// <summary>Weight theta of the codebook loss V (dimensionless; used with <see cref="QuantizerUpdate.CodebookLoss"/>). Default 1.2.</summary>
    public double Theta { get; set; } = 1.2;

    /// <summary>A is computed on max(1, batch / AbsorptionSubsetDivisor) images of each batch (the paper's n_batch/32). Default 32.</summary>
    public int AbsorptionSubsetDivisor { get; set; } = 32;

    /// <summary>What the surrogate's prediction for a reconstruction is compared with. Default SurrogateOfInput.</summary>
    public AbsorptionReference AbsorptionReference { get; set; } = AbsorptionReference.SurrogateOfInput;

    /// <summary>A fitted surrogate for the absorption loss (copied, frozen; not saved with the VQ-VAE). Default null.</summary>
    public AbsorptionSurrogateTransformer? Surrogate { get; set; }

    /// <summary>
    /// Train a surrogate inside Fit on the same rows (image and absorption columns) with these settings, then use it
    /// frozen for the absorption loss. Default null: no surrogate is trained. Not together with <see cref="Surrogate"/>.
    /// Its column names are ignored.
    /// </summary>
    public AbsorptionSurrogateEstimatorOptions? SurrogateTraining { get; set; }

    /// <summary>Seed of weight init, codebook, shuffles, absorption subsets and code restarts. Default 0.</summary>
    public long Seed { get; set; }

    /// <summary>Where to train and run: Cpu, Cuda (fails without CUDA) or Auto (CUDA when present). Default Cpu.</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Cpu;

    /// <summary>Torch intra-op threads while training (threads). Default 0: keep torch's current setting.</summary>
    public int Threads { get; set; }

    /// <summary>Checkpoint written atomically after every epoch; an existing one is resumed. Default null (none).</summary>
    public string? CheckpointPath { get; set; }

    /// <summary>Receives each finished epoch's training metrics (not saved with the model). Default null.</summary>
    public IProgress<EpochMetrics>? Progress { get; set; }

    /// <summary>Cancels training between steps (not saved with the model). Default none.</summary>
    public CancellationToken CancellationToken { get; set; }
}
