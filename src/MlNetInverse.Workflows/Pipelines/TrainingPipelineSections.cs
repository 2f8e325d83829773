using System.Text.Json.Serialization;
using MlNetInverse.Models.CodePrior;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.VqVae;

namespace MlNetInverse.Workflows.Pipelines;

/// <summary>
/// The "surrogate" section of a training pipeline: the absorption surrogate CNN. A key left out takes the model's
/// default (<see cref="AbsorptionSurrogateOptions"/>, <see cref="SurrogateTrainingOptions"/>): each default is declared
/// once, there.
/// </summary>
public sealed record SurrogateSection
{
    private static readonly AbsorptionSurrogateOptions Network = new();
    private static readonly SurrogateTrainingOptions Run = new();

    /// <summary>Epochs.</summary>
    public int Epochs { get; init; } = Run.Epochs;

    /// <summary>Images per step.</summary>
    public int Batch { get; init; } = Run.BatchSize;

    /// <summary>Initial Adam learning rate (cosine-annealed).</summary>
    public double LearningRate { get; init; } = Run.LearningRate;

    /// <summary>Channels of the first stage.</summary>
    public int BaseChannels { get; init; } = Network.BaseChannels;

    /// <summary>Units of the head's hidden layer.</summary>
    public int HiddenUnits { get; init; } = Network.HiddenUnits;

    /// <summary>Largest |k|^2 (cycles per cell, squared) of the Fourier shells fed to the head; 0 = none.</summary>
    public int SpectralShells { get; init; } = Network.SpectralShells;

    /// <summary>Share of the training split the surrogate holds out for its own test result.</summary>
    public double HeldOut { get; init; } = Run.HeldOutFraction;

    /// <summary>The CNN this section describes (the one mapping of its keys); the image size is the data's.</summary>
    public AbsorptionSurrogateOptions NetworkOptions() => new()
    {
        BaseChannels = BaseChannels, HiddenUnits = HiddenUnits, SpectralShells = SpectralShells,
    };

    /// <summary>The training run this section describes (the one mapping of its keys); seed, device, threads and checkpoint are the run's.</summary>
    public SurrogateTrainingOptions TrainingOptions() => new()
    {
        Epochs = Epochs, BatchSize = Batch, LearningRate = LearningRate, HeldOutFraction = HeldOut,
    };
}

/// <summary>
/// The "vqvae" section: the VQ-VAE and its loss (paper eq. 1: alpha R + beta A + theta V + C). A key left out takes
/// the model's default (<see cref="VqVaeOptions"/>, <see cref="VqVaeTrainingOptions"/>): each default is declared once,
/// there.
/// </summary>
public sealed record VqVaeSection
{
    private static readonly VqVaeOptions Network = new();
    private static readonly VqVaeTrainingOptions Run = new();

    /// <summary>Epochs (the paper trains 1500).</summary>
    public int Epochs { get; init; } = Run.Epochs;

    /// <summary>Images per step.</summary>
    public int Batch { get; init; } = Run.BatchSize;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = Run.LearningRate;

    /// <summary>Codes K.</summary>
    public int CodebookSize { get; init; } = Network.CodebookSize;

    /// <summary>Code length D.</summary>
    public int CodeDim { get; init; } = Network.CodeDimension;

    /// <summary>Latent grid edge G (cells); L = D*G*G.</summary>
    public int LatentGrid { get; init; } = Network.LatentGridSize;

    /// <summary>Channels of the first convolution.</summary>
    public int HiddenChannels { get; init; } = Network.HiddenChannels;

    /// <summary>Encoder/decoder stacks: "peer" (the paper-style stride-2 stacks of the PyTorch peer) "residual" (circular padding, residual blocks, upsample + conv) or "periodic" (the peer stacks with circular padding: seamless unit cells at the peer's cost). Default "peer".</summary>
    public string Architecture { get; init; } = "peer";

    /// <summary>The parsed <see cref="Architecture"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Models.VqVae.VqVaeArchitecture VqVaeArchitecture => Architecture.ToLowerInvariant() switch
    {
        "peer" => Models.VqVae.VqVaeArchitecture.Peer,
        "residual" => Models.VqVae.VqVaeArchitecture.Residual,
        "periodic" => Models.VqVae.VqVaeArchitecture.Periodic,
        _ => throw new FormatException($"'vqvae.architecture' is '{Architecture}'; use peer, residual or periodic."),
    };

    /// <summary>Weight of the reconstruction loss.</summary>
    public double Alpha { get; init; } = Run.Alpha;

    /// <summary>Weight of the absorption loss.</summary>
    public double Beta { get; init; } = Run.Beta;

    /// <summary>Weight of the codebook loss (codebook-loss updates only).</summary>
    public double Theta { get; init; } = Run.Theta;

    /// <summary>Commitment weight beta_c.</summary>
    public double CommitmentCost { get; init; } = Network.CommitmentCost;

    /// <summary>Steps a code may stay unused before it restarts (0 = never).</summary>
    public int DeadCodeThreshold { get; init; } = Network.DeadCodeThreshold;

    /// <summary>How the codebook learns: "ema" (moving averages) or "codebook_loss" (the paper's theta V term). Default "ema".</summary>
    public string Update { get; init; } = "ema";

    /// <summary>
    /// Whether designs are cut at the volume fraction the VQ-VAE's readout takes from each draw's snapped codes (true) or at 0.5 (false);
    /// left out: the model's default (<see cref="VqVaeTrainingOptions.FitVolumeFractionReadout"/>). Left out of the stage
    /// fingerprint when not given, so earlier pipelines keep reusing their VQ-VAE.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public bool? VolumeFractionReadout { get; init; }

    /// <summary>The parsed <see cref="Update"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Models.Quantization.QuantizerUpdate QuantizerUpdate => Update.ToLowerInvariant() switch
    {
        "ema" => Models.Quantization.QuantizerUpdate.Ema,
        "codebook_loss" => Models.Quantization.QuantizerUpdate.CodebookLoss,
        _ => throw new FormatException($"'vqvae.update' is '{Update}'; use ema or codebook_loss."),
    };

    /// <summary>The network this section describes, for images of <paramref name="imageSize"/> pixels a side (the one mapping of its keys).</summary>
    public VqVaeOptions NetworkOptions(int imageSize) => new()
    {
        ImageSize = imageSize, CodebookSize = CodebookSize, CodeDimension = CodeDim, LatentGridSize = LatentGrid, HiddenChannels = HiddenChannels,
        Architecture = VqVaeArchitecture, Update = QuantizerUpdate, CommitmentCost = CommitmentCost, DeadCodeThreshold = DeadCodeThreshold,
    };

    /// <summary>The training run this section describes (the one mapping of its keys); seed, device, threads and checkpoint are the run's.</summary>
    public VqVaeTrainingOptions TrainingOptions() => new()
    {
        Epochs = Epochs, BatchSize = Batch, LearningRate = LearningRate, Alpha = Alpha, Beta = Beta, Theta = Theta,
        FitVolumeFractionReadout = VolumeFractionReadout ?? Run.FitVolumeFractionReadout,
    };
}

/// <summary>
/// The "mdn" section: the mixture density network from absorption to latents. A key left out takes the model's default
/// (<see cref="MdnOptions"/>, <see cref="MdnTrainingOptions"/>): each default is declared once, there.
/// </summary>
public sealed record MdnSection
{
    private static readonly MdnOptions Network = new();
    private static readonly MdnTrainingOptions Run = new();

    /// <summary>Mixture components K.</summary>
    public int Components { get; init; } = Network.Components;

    /// <summary>Units per hidden layer.</summary>
    public int HiddenUnits { get; init; } = Network.HiddenUnits;

    /// <summary>Hidden layers.</summary>
    public int HiddenLayers { get; init; } = Network.HiddenLayers;

    /// <summary>Epochs.</summary>
    public int Epochs { get; init; } = Run.Epochs;

    /// <summary>Pairs per step.</summary>
    public int Batch { get; init; } = Run.BatchSize;

    /// <summary>Initial Adam learning rate (cosine-annealed).</summary>
    public double LearningRate { get; init; } = Run.LearningRate;

    /// <summary>Share of the latent pairs held out for the held-out NLL.</summary>
    public double HeldOut { get; init; } = Run.HeldOutFraction;

    /// <summary>Smallest component deviation (normalised units).</summary>
    public double SigmaFloor { get; init; } = Network.SigmaFloor;

    /// <summary>
    /// Draws with the training residuals' correlation (<see cref="MdnOptions.CorrelatedNoise"/>). Left out of the stage
    /// fingerprint when false, so earlier pipelines keep reusing their MDN.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool CorrelatedNoise { get; init; } = Network.CorrelatedNoise;

    /// <summary>
    /// Bands of absorption with their own noise correlation (<see cref="MdnOptions.NoiseBands"/>). Left out of the stage
    /// fingerprint when 0, so earlier pipelines keep reusing their MDN.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int NoiseBands { get; init; } = Network.NoiseBands;

    /// <summary>The network this section describes (the one mapping of its keys); the latent dimension is the data's.</summary>
    public MdnOptions NetworkOptions() => new()
    {
        Components = Components, HiddenUnits = HiddenUnits, HiddenLayers = HiddenLayers, SigmaFloor = SigmaFloor, CorrelatedNoise = CorrelatedNoise,
        NoiseBands = NoiseBands,
    };

    /// <summary>The training run this section describes (the one mapping of its keys); seed, device, threads and checkpoint are the run's.</summary>
    public MdnTrainingOptions TrainingOptions() => new()
    {
        Epochs = Epochs, BatchSize = Batch, LearningRate = LearningRate, HeldOutFraction = HeldOut,
    };

    /// <summary>
    /// The absorption each training latent is paired with: "dataset" (the image's RCWA label, as in the paper) or
    /// "decoded" (the surrogate's absorption of the latent's own decoded, binarized design, so the MDN learns which
    /// latents decode to a target, free of the VQ-VAE's reconstruction bias). Default "dataset".
    /// </summary>
    public string Label { get; init; } = "dataset";

    /// <summary>True when <see cref="Label"/> is "decoded".</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool LearnsDecodedAbsorption => Label.ToLowerInvariant() switch
    {
        "dataset" => false,
        "decoded" => true,
        _ => throw new FormatException($"'mdn.label' is '{Label}'; use dataset or decoded."),
    };
}

/// <summary>The "generation" section: what the model zip generates per target and the report's targets.</summary>
public sealed record GenerationSection
{
    /// <summary>Designs per target N kept in the model. Default 30 (the paper's count).</summary>
    public int Samples { get; init; } = 30;

    /// <summary>
    /// MDN draws per kept design: with M &gt; 1 the model decodes M*N candidates and keeps the N whose surrogate
    /// absorption is closest to the target. Default 1 (the paper's plain sampling).
    /// </summary>
    public int Oversampling { get; init; } = 1;

    /// <summary>
    /// With oversampling: strata of volume fraction the screen keeps equal shares from (the candidates in order of volume
    /// fraction cut into this many equal runs), so the screen cannot move the draws' spread of volume fractions.
    /// Default 1: one ranking over all candidates.
    /// </summary>
    public int VolumeFractionStrata { get; init; } = 1;

    /// <summary>
    /// With oversampling: draw the N kept candidates by weight exp(-distance / tau), tau the distance at this quantile of
    /// a target's candidates, instead of keeping the N closest (SurrogateScreen.Weighted). In [0, 1); not with
    /// volume_fraction_strata above 1. Default 0: keep the closest.
    /// </summary>
    public double ScreenSoftness { get; init; }

    /// <summary>
    /// Calibrate the MDN through the decoder and surrogate (see MdnCalibration): condition it on the value whose decoded
    /// designs reach the target on average. Default false (the paper conditions on the target itself).
    /// </summary>
    public bool Calibrate { get; init; }

    /// <summary>Seed of the MDN draws stored in the model. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Targets of the report's summary and generation grid. Default 0.55, 0.60, 0.65, 0.70, 0.75 (paper Table I).</summary>
    public double[] Targets { get; init; } = [0.55, 0.60, 0.65, 0.70, 0.75];
}

/// <summary>
/// The "prior" section: an optional stage after the MDN that fits a masked code prior (<see cref="MaskedCodePrior"/>)
/// to the VQ-VAE's codes of the training split and saves model-prior.zip, the model zip's chain with the prior drawing
/// its latents. The run's report then generates from it. Off by default: it takes about 20 minutes on 2 cores.
/// </summary>
public sealed record PriorSection
{
    private static readonly CodePriorOptions Network = new();
    private static readonly CodePriorTrainingOptions Run = new();

    /// <summary>Train the prior and write model-prior.zip. Default false.</summary>
    public bool Enabled { get; init; }

    /// <summary>Optimiser steps. Default 8000.</summary>
    public int Steps { get; init; } = Run.Steps;

    /// <summary>Code grids per step. Default 64.</summary>
    public int Batch { get; init; } = Run.BatchSize;

    /// <summary>Peak AdamW learning rate (warm-up, then cosine to 0). Default 1e-3.</summary>
    public double LearningRate { get; init; } = Run.LearningRate;

    /// <summary>Embedding width of every cell. Default 96.</summary>
    public int Width { get; init; } = Network.Width;

    /// <summary>Transformer blocks. Default 3.</summary>
    public int Layers { get; init; } = Network.Layers;

    /// <summary>Attention heads per block (a divisor of width). Default 4.</summary>
    public int Heads { get; init; } = Network.Heads;

    /// <summary>Forward passes per grid when sampling. Default 16.</summary>
    public int Rounds { get; init; } = MaskedCodePrior.DefaultRounds;

    /// <summary>
    /// Prior draws per design model-prior.zip's surrogate screen keeps. Default null: the generation section's
    /// oversampling (without a screen every draw is kept).
    /// </summary>
    public int? Oversampling { get; init; }

    /// <summary>
    /// Strata of volume fraction model-prior.zip's screen keeps equal shares from. Default 3: one ranking over all the
    /// prior's draws moves its designs off the data's volume fraction (see GenerationModel.CodePriorVolumeFractionStrata).
    /// </summary>
    public int VolumeFractionStrata { get; init; } = Generation.GenerationModel.CodePriorVolumeFractionStrata;

    /// <summary>The prior's architecture (its codebook size and grid are the VQ-VAE's, set when it is fitted).</summary>
    public CodePriorOptions NetworkOptions() => new() { Width = Width, Layers = Layers, Heads = Heads };

    /// <summary>The training settings (seed, threads and device come from the pipeline).</summary>
    public CodePriorTrainingOptions TrainingOptions() => new() { Steps = Steps, BatchSize = Batch, LearningRate = LearningRate };
}
