using MlNetInverse.ML.Data;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Models.CodePrior;
using MlNetInverse.Physics.Optics;

namespace MlNetInverse.ML.CodePrior;

/// <summary>Settings of <see cref="InverseCatalog.CodePrior(CodePriorEstimatorOptions)"/>: the prior, its training and its sampling.</summary>
public sealed class CodePriorEstimatorOptions
{
    /// <summary>Column the fitted transformer writes: N latents per row (Vector&lt;Single, N, L&gt;). Default "GeneratedLatents".</summary>
    public string OutputColumnName { get; set; } = GenerationColumns.GeneratedLatents;

    /// <summary>Absorption column (Single): the label the prior learns, and the target column the fitted transformer reads. Default "Absorption".</summary>
    public string LabelColumnName { get; set; } = MicrostructureColumns.Absorption;

    /// <summary>
    /// Code index column (known-size Vector&lt;Int32&gt;, G x G per row): the VQ-VAE's codes of each training map, as
    /// the VQ-VAE transformer writes them and latents.parquet keeps them. Default "CodeIndices".
    /// </summary>
    public string CodeIndicesColumnName { get; set; } = MicrostructureColumns.CodeIndices;

    /// <summary>Boolean column telling whether a target lies inside the training absorption range. Default "InTrainingRange".</summary>
    public string InTrainingRangeColumnName { get; set; } = GenerationColumns.InTrainingRange;

    /// <summary>
    /// The VQ-VAE whose codes the rows hold: the fitted transformer writes its codebook's vectors. Set this or
    /// <see cref="Decoder"/>. Default null.
    /// </summary>
    public VqVaeTransformer? VqVae { get; set; }

    /// <summary>The decode step (e.g. of a generation model zip) whose VQ-VAE's codes the rows hold, in place of <see cref="VqVae"/>. Default null.</summary>
    public MicrostructureDecodeTransformer? Decoder { get; set; }

    /// <summary>
    /// The network (width, blocks, heads), declared once in <see cref="CodePriorOptions"/> with its defaults. Its codebook
    /// size and grid are not read: Fit takes them from the VQ-VAE.
    /// </summary>
    public CodePriorOptions Network { get; set; } = new();

    /// <summary>The training run (steps, batch, learning rate, held-out share, seed, threads, device), declared once in <see cref="CodePriorTrainingOptions"/>.</summary>
    public CodePriorTrainingOptions Training { get; set; } = new();

    /// <summary>Latents N drawn per target row. Default 30, as in the paper.</summary>
    public int SamplesPerTarget { get; set; } = 30;

    /// <summary>Seed of the draws (with each row's target and each draw's index). Default 0.</summary>
    public long SamplingSeed { get; set; }

    /// <summary>Forward passes per grid when sampling. Default 16.</summary>
    public int Rounds { get; set; } = MaskedCodePrior.DefaultRounds;

    /// <summary>
    /// The optical stack that made the labels, kept in the model zip for RCWA judgement. Default null: taken from the
    /// label column's annotation (set by LoadMicrostructures and LoadLatents), or none.
    /// </summary>
    public OpticalStack? Stack { get; set; }

    /// <summary>Receives the training's progress every few hundred steps (not saved with the model). Default null.</summary>
    public IProgress<CodePriorProgress>? Progress { get; set; }

    /// <summary>Cancels training between steps (not saved with the model). Default none.</summary>
    public CancellationToken CancellationToken { get; set; }
}
