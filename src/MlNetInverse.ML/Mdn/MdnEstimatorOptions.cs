using MlNetInverse.ML.Data;
using MlNetInverse.ML.Generation;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Physics.Optics;

namespace MlNetInverse.ML.Mdn;

/// <summary>Settings of <see cref="InverseCatalog.Mdn(MdnEstimatorOptions)"/>: the MDN, its training and its sampling.</summary>
public sealed class MdnEstimatorOptions
{
    /// <summary>Column the fitted transformer writes: N sampled latents per row (Vector&lt;Single, N, L&gt;). Default "GeneratedLatents".</summary>
    public string OutputColumnName { get; set; } = GenerationColumns.GeneratedLatents;

    /// <summary>
    /// Absorption column (Single): the label the MDN is trained on, and the target column the fitted transformer reads.
    /// Default "Absorption".
    /// </summary>
    public string LabelColumnName { get; set; } = MicrostructureColumns.Absorption;

    /// <summary>
    /// Target absorption column (Single) the fitted transformer reads. Default null: the same name as
    /// <see cref="LabelColumnName"/>. Set it when the MDN learns from another absorption column (e.g. the surrogate's
    /// absorption of each latent's decoded design) but targets arrive in the usual "Absorption" column.
    /// </summary>
    public string? TargetColumnName { get; set; }

    /// <summary>Latent column the MDN learns to generate (known-size Vector&lt;Single&gt;, e.g. the VQ-VAE's z_q). Default "Latent".</summary>
    public string LatentColumnName { get; set; } = MicrostructureColumns.Latent;

    /// <summary>Boolean column telling whether a target lies inside the training absorption range. Default "InTrainingRange".</summary>
    public string InTrainingRangeColumnName { get; set; } = GenerationColumns.InTrainingRange;

    /// <summary>Mixture components K (components). Default 40, as in the paper.</summary>
    public int Components { get; set; } = 40;

    /// <summary>Units per hidden layer (units). Default 128.</summary>
    public int HiddenUnits { get; set; } = 128;

    /// <summary>Hidden layers (layers). Default 2.</summary>
    public int HiddenLayers { get; set; } = 2;

    /// <summary>Smallest component standard deviation, in training standard deviations of each latent value. Default 1e-3.</summary>
    public double SigmaFloor { get; set; } = 1e-3;

    /// <summary>Latents N drawn per target row (samples). Default 30, as in the paper.</summary>
    public int SamplesPerTarget { get; set; } = 30;

    /// <summary>
    /// Seed of the draws. A row's draws come from this seed and the bits of its float32 target alone
    /// (<see cref="MdnTransformer.RowSeed"/>), so the same target always gets the same samples whatever its row or
    /// batch; change the seed for other samples. Default 0.
    /// </summary>
    public long SamplingSeed { get; set; }

    /// <summary>Passes over the training pairs (epochs). Default 200.</summary>
    public int Epochs { get; set; } = 200;

    /// <summary>Pairs per optimizer step (pairs). Default 128.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>Initial Adam learning rate (per step), cosine-annealed. Default 1e-3.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Last epoch's learning rate as a fraction of the first (in (0, 1]). Default 0.1.</summary>
    public double FinalLearningRateFraction { get; set; } = 0.1;

    /// <summary>Share of the pairs held out (seeded) for the reported held-out NLL, in (0, 1). Default 0.1.</summary>
    public double HeldOutFraction { get; set; } = 0.1;

    /// <summary>Seed of weight init, held-out split and shuffles. Default 0.</summary>
    public long Seed { get; set; }

    /// <summary>Where to train and sample: Cpu, Cuda or Auto. Default Cpu.</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Cpu;

    /// <summary>Torch intra-op threads while training (threads). Default 0: keep torch's setting.</summary>
    public int Threads { get; set; }

    /// <summary>
    /// The optical stack (with wavelengths and solver settings) that made the absorption labels, kept in the model zip
    /// for RCWA judgement of generated designs. Default null: taken from the label column's
    /// <see cref="MicrostructureColumns.OpticalStackAnnotation"/> (set by LoadMicrostructures and LoadLatents), or none.
    /// </summary>
    public OpticalStack? Stack { get; set; }

    /// <summary>
    /// Checkpoint written atomically after an epoch at most once a minute and after the last one
    /// (<see cref="Models.Training.TrainingOptions.CheckpointIntervalSeconds"/>); an existing one is resumed. Default null (none).
    /// </summary>
    public string? CheckpointPath { get; set; }

    /// <summary>Receives each finished epoch's metrics (not saved with the model). Default null.</summary>
    public IProgress<MdnEpochMetrics>? Progress { get; set; }

    /// <summary>Cancels training between steps (not saved with the model). Default none.</summary>
    public CancellationToken CancellationToken { get; set; }
}
