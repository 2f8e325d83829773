using System.ComponentModel;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>Options of <c>train vqvae</c>. Loss (paper eq. 1): alpha*R + beta*A + theta*V + C.</summary>
internal sealed class TrainVqVaeSettings : TrainSettings
{
    // Model settings take the model options' defaults (declared once there); the descriptions state them for --help
    // and a test holds the two together.
    private static readonly Models.VqVae.VqVaeOptions Network = new();
    private static readonly Models.VqVae.VqVaeTrainingOptions Run = new();

    [CommandOption("--epochs <N>")]
    [Description("Passes over the training images. Default 100 (the paper trains 1500).")]
    public int Epochs { get; set; } = Run.Epochs;

    [CommandOption("--codebook-size <K>")]
    [Description("Codes in the codebook. Default 512.")]
    public int CodebookSize { get; set; } = Network.CodebookSize;

    [CommandOption("--code-dim <D>")]
    [Description("Length of each code vector (latent channels). Default 16.")]
    public int CodeDimension { get; set; } = Network.CodeDimension;

    [CommandOption("--latent-grid <G>")]
    [Description("Edge of the latent grid in cells; image size / G must be a power of two >= 4. Default 16.")]
    public int LatentGrid { get; set; } = Network.LatentGridSize;

    [CommandOption("--hidden-channels <H>")]
    [Description("Channels of the first convolution (deeper ones use 2H). Default 32.")]
    public int HiddenChannels { get; set; } = Network.HiddenChannels;

    [CommandOption("--architecture <STACKS>")]
    [Description("Encoder/decoder stacks: peer (stride-2 convolutions, as the PyTorch peer) residual (circular padding, residual blocks, upsample + conv) or periodic (the peer stacks with circular padding: seamless unit cells at the peer's cost). Default peer.")]
    public string Architecture { get; set; } = "peer";

    /// <summary>The parsed <see cref="Architecture"/>.</summary>
    public Models.VqVae.VqVaeArchitecture ParsedArchitecture => Architecture.ToLowerInvariant() switch
    {
        "peer" => Models.VqVae.VqVaeArchitecture.Peer,
        "residual" => Models.VqVae.VqVaeArchitecture.Residual,
        "periodic" => Models.VqVae.VqVaeArchitecture.Periodic,
        _ => throw new FormatException($"--architecture must be peer, residual or periodic; got '{Architecture}'."),
    };

    [CommandOption("--batch <N>")]
    [Description("Images per optimizer step. Default 128.")]
    public int Batch { get; set; } = Run.BatchSize;

    [CommandOption("--lr <RATE>")]
    [Description("Adam learning rate. Default 3e-4.")]
    public double LearningRate { get; set; } = Run.LearningRate;

    [CommandOption("--alpha <W>")]
    [Description("Weight of the reconstruction loss R. Default 0.1.")]
    public double Alpha { get; set; } = Run.Alpha;

    [CommandOption("--beta <W>")]
    [Description("Weight of the absorption loss A (0 turns it off). Default 1.2.")]
    public double Beta { get; set; } = Run.Beta;

    [CommandOption("--theta <W>")]
    [Description("Weight of the codebook loss V (used by codebook-loss updates; the default EMA codebook needs none). Default 1.2.")]
    public double Theta { get; set; } = Run.Theta;

    [CommandOption("--surrogate <FILE>")]
    [Description("A surrogate zip from 'train surrogate' for the absorption loss. Default: with --beta > 0, a surrogate is trained first on the training images.")]
    public string? Surrogate { get; set; }

    [CommandOption("--surrogate-epochs <N>")]
    [Description("Epochs of the surrogate trained first when no --surrogate is given. Default 20.")]
    public int SurrogateEpochs { get; set; } = 20;

    [CommandOption("--held-out <FRACTION>")]
    [Description("Share of the dataset held out (seeded split before training) for the reported test metrics. Default 0.1.")]
    public double HeldOut { get; set; } = 0.1;

    [CommandOption("--rcwa-check <N>")]
    [Description("Simulate N held-out originals and their binarized reconstructions with the dataset's stack and report the mean REP (%). Default 0: off.")]
    public int RcwaCheck { get; set; }

    protected override void ValidateCommand()
    {
        OptionValues.AtLeastOne("--epochs", Epochs);
        if (CodebookSize < 2) throw new FormatException($"--codebook-size must be at least 2; got {CodebookSize}.");
        OptionValues.AtLeastOne("--code-dim", CodeDimension);
        if (LatentGrid < 1 || (LatentGrid & (LatentGrid - 1)) != 0)
            throw new FormatException($"--latent-grid must be a power of two (e.g. 4, 8 or 16); got {LatentGrid}.");
        OptionValues.AtLeastOne("--hidden-channels", HiddenChannels);
        _ = ParsedArchitecture;
        OptionValues.AtLeastOne("--batch", Batch);
        OptionValues.Positive("--lr", LearningRate);
        OptionValues.NonNegative("--alpha", Alpha);
        OptionValues.NonNegative("--beta", Beta);
        OptionValues.NonNegative("--theta", Theta);
        if (Surrogate is not null) RequireFile("--surrogate", Surrogate, ".zip");
        OptionValues.AtLeastOne("--surrogate-epochs", SurrogateEpochs);
        RequireFraction("--held-out", HeldOut);
        if (RcwaCheck < 0) throw new FormatException($"--rcwa-check must be 0 (off) or a number of held-out images; got {RcwaCheck}.");
    }
}
