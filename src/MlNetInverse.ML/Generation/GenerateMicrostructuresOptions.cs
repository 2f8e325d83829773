using MlNetInverse.ML.Data;
using MlNetInverse.ML.Mdn;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Models.Devices;

namespace MlNetInverse.ML.Generation;

/// <summary>
/// Settings of <see cref="InverseCatalog.GenerateMicrostructures(GenerateMicrostructuresOptions)"/>: which fitted
/// pieces to use (the rest is trained in Fit from microstructure training data), how to train the missing ones, and
/// how to generate (designs per target, oversampling with the surrogate screen, calibration, seed).
/// </summary>
public sealed class GenerateMicrostructuresOptions
{
    /// <summary>
    /// Target absorption column (Single): the target of each row when generating; the absorption label when a piece
    /// is trained in Fit. Default "Absorption".
    /// </summary>
    public string TargetColumnName { get; set; } = MicrostructureColumns.Absorption;

    /// <summary>Image column of the training data (Vector&lt;Single, S*S&gt;), read only when a piece is trained in Fit. Default "Image".</summary>
    public string ImageColumnName { get; set; } = MicrostructureColumns.Image;

    /// <summary>Generated designs column to write (Vector&lt;Single, N, S, S&gt;, binarized). Default "GeneratedImages".</summary>
    public string OutputColumnName { get; set; } = GenerationColumns.GeneratedImages;

    /// <summary>Latents of the generated designs to write (Vector&lt;Single, N, L&gt;, aligned with the images). Default "GeneratedLatents".</summary>
    public string LatentsColumnName { get; set; } = GenerationColumns.GeneratedLatents;

    /// <summary>Surrogate absorption of each generated design to write (Vector&lt;Single, N&gt;). Default "PredictedAbsorption".</summary>
    public string PredictedAbsorptionColumnName { get; set; } = GenerationColumns.PredictedAbsorption;

    /// <summary>Whether each target lies in the MDN's training range (Boolean) to write. Default "InTrainingRange".</summary>
    public string InTrainingRangeColumnName { get; set; } = GenerationColumns.InTrainingRange;

    /// <summary>A fitted or loaded VQ-VAE whose decoder makes the designs. Default null: trained in Fit (<see cref="VqVaeTraining"/>).</summary>
    public VqVaeTransformer? VqVae { get; set; }

    /// <summary>
    /// A fitted or loaded absorption surrogate that predicts each design's absorption (and screens with
    /// <see cref="Oversampling"/>). Default null: the surrogate of <see cref="VqVae"/>, else trained in Fit (<see cref="SurrogateTraining"/>).
    /// </summary>
    public AbsorptionSurrogateTransformer? Surrogate { get; set; }

    /// <summary>
    /// A fitted or loaded decode step, e.g. the decoder of a generation model zip (<see cref="MicrostructureDecodeTransformer.FindIn"/>):
    /// its VQ-VAE decoder and surrogate make and judge the designs, in place of <see cref="VqVae"/> and <see cref="Surrogate"/>
    /// (set neither with it). The MDN must then be given too: training one needs the VQ-VAE's encoder. Copied, like the
    /// other pieces. Default null.
    /// </summary>
    public MicrostructureDecodeTransformer? Decoder { get; set; }

    /// <summary>A fitted or loaded MDN (target absorption to latents). Default null: trained in Fit (<see cref="MdnTraining"/>).</summary>
    public MdnTransformer? Mdn { get; set; }

    /// <summary>
    /// A fitted or loaded masked code prior (<see cref="CodePrior.CodePriorTransformer"/>) that draws the latents in place
    /// of the MDN: grids of the VQ-VAE's own codes. Give the decode step (<see cref="Decoder"/>) or the VQ-VAE it was
    /// trained on; its codebook must be theirs. Set either this or <see cref="Mdn"/>; not with <see cref="Calibration"/>
    /// (an MDN's). Default null: the MDN draws.
    /// </summary>
    public CodePrior.CodePriorTransformer? CodePrior { get; set; }

    /// <summary>
    /// Settings of the VQ-VAE trained in Fit when <see cref="VqVae"/> is null (its image column is <see cref="ImageColumnName"/>;
    /// a surrogate given or trained here is its absorption-loss surrogate unless these options name their own). Default null: the defaults.
    /// </summary>
    public VqVaeEstimatorOptions? VqVaeTraining { get; set; }

    /// <summary>Settings of the surrogate trained in Fit when none is given (image and label columns from these options). Default null: the defaults.</summary>
    public AbsorptionSurrogateEstimatorOptions? SurrogateTraining { get; set; }

    /// <summary>
    /// Settings of the MDN trained in Fit when <see cref="Mdn"/> is null (its label column is <see cref="TargetColumnName"/>
    /// unless these options are given; sampling and column names come from these generation options). Default null: the defaults.
    /// </summary>
    public MdnEstimatorOptions? MdnTraining { get; set; }

    /// <summary>A latent Parquet file (Id, Absorption, Latent, CodeIndices) written in Fit before the MDN trains on it. Default null: none written.</summary>
    public string? LatentsPath { get; set; }

    /// <summary>
    /// Designs N returned per target (designs). Default null: the fitted MDN's draws per target, or
    /// <see cref="MdnEstimatorOptions.SamplesPerTarget"/> (30) of the MDN trained in Fit.
    /// </summary>
    public int? SamplesPerTarget { get; set; }

    /// <summary>
    /// MDN draws per kept design. Above 1 the MDN draws N x Oversampling latents and the surrogate screen keeps the N
    /// whose predicted absorption is closest to the target (<see cref="SampleSelectionTransformer"/>). Default 1: no screen.
    /// </summary>
    public int Oversampling { get; set; } = 1;

    /// <summary>
    /// With <see cref="Oversampling"/> above 1: strata of volume fraction the screen keeps equal shares from
    /// (<see cref="SampleSelectionOptions.VolumeFractionStrata"/>), so it cannot move the draws' spread of volume fractions.
    /// Default 1: one ranking over all draws of a target.
    /// </summary>
    public int ScreenVolumeFractionStrata { get; set; } = 1;

    /// <summary>
    /// With <see cref="Oversampling"/> above 1: the screen draws the N by weight instead of keeping the closest, weights
    /// exp(-distance / tau) with tau the distance at this quantile of a target's draws (<see cref="SampleSelectionOptions.Softness"/>),
    /// its keys seeded by <see cref="SamplingSeed"/>. In [0, 1); not with <see cref="ScreenVolumeFractionStrata"/> above 1.
    /// Default 0: keep the closest.
    /// </summary>
    public double ScreenSoftness { get; set; }

    /// <summary>Seed of the draws (mixed with each target). Default null: the fitted MDN's, or <see cref="MdnEstimatorOptions.SamplingSeed"/> (0).</summary>
    public long? SamplingSeed { get; set; }

    /// <summary>
    /// Calibrates the MDN through the decoder and surrogate (<see cref="MdnCalibration"/>). Default null: the MDN keeps
    /// the calibration it has (a fitted MDN may carry one; a trained one has none).
    /// </summary>
    public MdnCalibrationOptions? Calibration { get; set; }

    /// <summary>Where decoding and the surrogate run. Default <see cref="ComputeDevice.Cpu"/>.</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Cpu;
}
