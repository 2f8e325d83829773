using System.ComponentModel;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>Options of <c>train surrogate</c>.</summary>
internal sealed class TrainSurrogateSettings : TrainSettings
{
    // Model settings take the model options' defaults (declared once there); the descriptions state them for --help
    // and a test holds the two together.
    private static readonly Models.Surrogate.AbsorptionSurrogateOptions Network = new();
    private static readonly Models.Surrogate.SurrogateTrainingOptions Run = new();

    [CommandOption("--epochs <N>")]
    [Description("Passes over the training images. Default 40.")]
    public int Epochs { get; set; } = Run.Epochs;

    [CommandOption("--batch <N>")]
    [Description("Images per optimizer step. Default 64.")]
    public int Batch { get; set; } = Run.BatchSize;

    [CommandOption("--lr <RATE>")]
    [Description("Initial Adam learning rate (cosine-annealed to 5 % of it). Default 2e-3.")]
    public double LearningRate { get; set; } = Run.LearningRate;

    [CommandOption("--base-channels <C>")]
    [Description("Channels of the first convolution stage (later stages 2C and 4C). Default 16.")]
    public int BaseChannels { get; set; } = Network.BaseChannels;

    [CommandOption("--hidden-units <N>")]
    [Description("Units of the regression head's hidden layer. Default 64.")]
    public int HiddenUnits { get; set; } = Network.HiddenUnits;

    [CommandOption("--spectral-shells <K2>")]
    [Description("Largest |k|^2 (cycles per cell, squared) of the Fourier shells whose power also feeds the head; 0: none. Default 0.")]
    public int SpectralShells { get; set; } = Network.SpectralShells;

    [CommandOption("--held-out <FRACTION>")]
    [Description("Share of the dataset held out (seeded split before training) for the reported MAE and R^2. Default 0.2.")]
    public double HeldOut { get; set; } = Run.HeldOutFraction;

    protected override void ValidateCommand()
    {
        OptionValues.AtLeastOne("--epochs", Epochs);
        OptionValues.AtLeastOne("--batch", Batch);
        OptionValues.Positive("--lr", LearningRate);
        OptionValues.AtLeastOne("--base-channels", BaseChannels);
        OptionValues.AtLeastOne("--hidden-units", HiddenUnits);
        if (SpectralShells < 0) throw new FormatException($"--spectral-shells must be 0 (none) or a squared wavenumber of at least 1; got {SpectralShells}.");
        RequireFraction("--held-out", HeldOut);
    }
}
