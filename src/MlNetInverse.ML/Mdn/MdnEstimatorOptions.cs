using MlNetInverse.ML.Data;
using MlNetInverse.ML.Generation;
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

    /// <summary>
    /// The network (components K, hidden units and layers, sigma floor), declared once in <see cref="MdnOptions"/> with
    /// its defaults. Its LatentDimension is not read: Fit takes it from the latent column.
    /// </summary>
    public MdnOptions Network { get; set; } = new();

    /// <summary>
    /// The training run (epochs, batch, learning rate and its decay, held-out share, seed, device, threads, checkpoint),
    /// declared once in <see cref="MdnTrainingOptions"/> with its defaults. The device is also where the fitted
    /// transformer samples.
    /// </summary>
    public MdnTrainingOptions Training { get; set; } = new();

    /// <summary>Latents N drawn per target row (samples). Default 30, as in the paper.</summary>
    public int SamplesPerTarget { get; set; } = 30;

    /// <summary>
    /// Seed of the draws. A row's draws come from this seed and the bits of its float32 target alone
    /// (<see cref="MdnTransformer.RowSeed"/>), so the same target always gets the same samples whatever its row or
    /// batch; change the seed for other samples. Default 0.
    /// </summary>
    public long SamplingSeed { get; set; }

    /// <summary>
    /// The optical stack (with wavelengths and solver settings) that made the absorption labels, kept in the model zip
    /// for RCWA judgement of generated designs. Default null: taken from the label column's
    /// <see cref="MicrostructureColumns.OpticalStackAnnotation"/> (set by LoadMicrostructures and LoadLatents), or none.
    /// </summary>
    public OpticalStack? Stack { get; set; }

    /// <summary>Receives each finished epoch's metrics (not saved with the model). Default null.</summary>
    public IProgress<MdnEpochMetrics>? Progress { get; set; }

    /// <summary>Cancels training between steps (not saved with the model). Default none.</summary>
    public CancellationToken CancellationToken { get; set; }
}
