namespace MlNetInverse.Workflows.Pipelines;

/// <summary>The "surrogate" section of a training pipeline: the absorption surrogate CNN.</summary>
public sealed record SurrogateSection
{
    /// <summary>Epochs. Default 8.</summary>
    public int Epochs { get; init; } = 8;

    /// <summary>Images per step. Default 64.</summary>
    public int Batch { get; init; } = 64;

    /// <summary>Initial Adam learning rate (cosine-annealed). Default 2e-3.</summary>
    public double LearningRate { get; init; } = 2e-3;

    /// <summary>Channels of the first stage. Default 16.</summary>
    public int BaseChannels { get; init; } = 16;

    /// <summary>Units of the head's hidden layer. Default 64.</summary>
    public int HiddenUnits { get; init; } = 64;

    /// <summary>Largest |k|^2 (cycles per cell, squared) of the Fourier shells fed to the head; 0 = none. Default 0.</summary>
    public int SpectralShells { get; init; }

    /// <summary>Share of the training split the surrogate holds out for its own test result. Default 0.2.</summary>
    public double HeldOut { get; init; } = 0.2;

    /// <summary>The CNN this section describes (the one mapping of its keys); the image size is the data's.</summary>
    public Models.Surrogate.AbsorptionSurrogateOptions NetworkOptions() => new()
    {
        BaseChannels = BaseChannels, HiddenUnits = HiddenUnits, SpectralShells = SpectralShells,
    };

    /// <summary>The training run this section describes (the one mapping of its keys); seed, device, threads and checkpoint are the run's.</summary>
    public Models.Surrogate.SurrogateTrainingOptions TrainingOptions() => new()
    {
        Epochs = Epochs, BatchSize = Batch, LearningRate = LearningRate, HeldOutFraction = HeldOut,
    };
}

/// <summary>The "vqvae" section: the VQ-VAE and its loss (paper eq. 1: alpha R + beta A + theta V + C).</summary>
public sealed record VqVaeSection
{
    /// <summary>Epochs. Default 30 (the paper trains 1500).</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Images per step. Default 64.</summary>
    public int Batch { get; init; } = 64;

    /// <summary>Adam learning rate. Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Codes K. Default 512.</summary>
    public int CodebookSize { get; init; } = 512;

    /// <summary>Code length D. Default 8.</summary>
    public int CodeDim { get; init; } = 8;

    /// <summary>Latent grid edge G (cells). Default 8, so L = D*G*G = 512.</summary>
    public int LatentGrid { get; init; } = 8;

    /// <summary>Channels of the first convolution. Default 32.</summary>
    public int HiddenChannels { get; init; } = 32;

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

    /// <summary>Weight of the reconstruction loss. Default 0.1.</summary>
    public double Alpha { get; init; } = 0.1;

    /// <summary>Weight of the absorption loss. Default 1.2.</summary>
    public double Beta { get; init; } = 1.2;

    /// <summary>Weight of the codebook loss (codebook-loss updates only). Default 1.2.</summary>
    public double Theta { get; init; } = 1.2;

    /// <summary>Commitment weight beta_c. Default 0.25.</summary>
    public double CommitmentCost { get; init; } = 0.25;

    /// <summary>Steps a code may stay unused before it restarts (0 = never). Default 100.</summary>
    public int DeadCodeThreshold { get; init; } = 100;

    /// <summary>How the codebook learns: "ema" (moving averages) or "codebook_loss" (the paper's theta V term). Default "ema".</summary>
    public string Update { get; init; } = "ema";

    /// <summary>The parsed <see cref="Update"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Models.Quantization.QuantizerUpdate QuantizerUpdate => Update.ToLowerInvariant() switch
    {
        "ema" => Models.Quantization.QuantizerUpdate.Ema,
        "codebook_loss" => Models.Quantization.QuantizerUpdate.CodebookLoss,
        _ => throw new FormatException($"'vqvae.update' is '{Update}'; use ema or codebook_loss."),
    };

    /// <summary>The network this section describes, for images of <paramref name="imageSize"/> pixels a side (the one mapping of its keys).</summary>
    public Models.VqVae.VqVaeOptions NetworkOptions(int imageSize) => new()
    {
        ImageSize = imageSize, CodebookSize = CodebookSize, CodeDimension = CodeDim, LatentGridSize = LatentGrid, HiddenChannels = HiddenChannels,
        Architecture = VqVaeArchitecture, Update = QuantizerUpdate, CommitmentCost = CommitmentCost, DeadCodeThreshold = DeadCodeThreshold,
    };

    /// <summary>The training run this section describes (the one mapping of its keys); seed, device, threads and checkpoint are the run's.</summary>
    public Models.VqVae.VqVaeTrainingOptions TrainingOptions() => new()
    {
        Epochs = Epochs, BatchSize = Batch, LearningRate = LearningRate, Alpha = Alpha, Beta = Beta, Theta = Theta,
    };
}

/// <summary>The "mdn" section: the mixture density network from absorption to latents.</summary>
public sealed record MdnSection
{
    /// <summary>Mixture components K. Default 40.</summary>
    public int Components { get; init; } = 40;

    /// <summary>Units per hidden layer. Default 128.</summary>
    public int HiddenUnits { get; init; } = 128;

    /// <summary>Hidden layers. Default 2.</summary>
    public int HiddenLayers { get; init; } = 2;

    /// <summary>Epochs. Default 200.</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Pairs per step. Default 128.</summary>
    public int Batch { get; init; } = 128;

    /// <summary>Initial Adam learning rate (cosine-annealed). Default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Share of the latent pairs held out for the held-out NLL. Default 0.1.</summary>
    public double HeldOut { get; init; } = 0.1;

    /// <summary>Smallest component deviation (normalised units). Default 1e-3.</summary>
    public double SigmaFloor { get; init; } = 1e-3;

    /// <summary>The network this section describes (the one mapping of its keys); the latent dimension is the data's.</summary>
    public Models.Mdn.MdnOptions NetworkOptions() => new()
    {
        Components = Components, HiddenUnits = HiddenUnits, HiddenLayers = HiddenLayers, SigmaFloor = SigmaFloor,
    };

    /// <summary>The training run this section describes (the one mapping of its keys); seed, device, threads and checkpoint are the run's.</summary>
    public Models.Mdn.MdnTrainingOptions TrainingOptions() => new()
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
    /// Calibrate the MDN through the decoder and surrogate (see MdnCalibration): condition it on the value whose decoded
    /// designs reach the target on average. Default false (the paper conditions on the target itself).
    /// </summary>
    public bool Calibrate { get; init; }

    /// <summary>Seed of the MDN draws stored in the model. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Targets of the report's summary and generation grid. Default 0.55, 0.60, 0.65, 0.70, 0.75 (paper Table I).</summary>
    public double[] Targets { get; init; } = [0.55, 0.60, 0.65, 0.70, 0.75];
}
