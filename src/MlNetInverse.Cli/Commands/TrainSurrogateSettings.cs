using System.ComponentModel;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>Options of <c>train surrogate</c>.</summary>
internal sealed class TrainSurrogateSettings : TrainSettings
{
    [CommandOption("--epochs <N>")]
    [Description("Passes over the training images. Default 40.")]
    public int Epochs { get; set; } = 40;

    [CommandOption("--batch <N>")]
    [Description("Images per optimizer step. Default 64.")]
    public int Batch { get; set; } = 64;

    [CommandOption("--lr <RATE>")]
    [Description("Initial Adam learning rate (cosine-annealed to 5 % of it). Default 2e-3.")]
    public double LearningRate { get; set; } = 2e-3;

    [CommandOption("--base-channels <C>")]
    [Description("Channels of the first convolution stage (later stages 2C and 4C). Default 16.")]
    public int BaseChannels { get; set; } = 16;

    [CommandOption("--hidden-units <N>")]
    [Description("Units of the regression head's hidden layer. Default 64.")]
    public int HiddenUnits { get; set; } = 64;

    [CommandOption("--spectral-shells <K2>")]
    [Description("Largest |k|^2 (cycles per cell, squared) of the Fourier shells whose power also feeds the head; 0: none. Default 0.")]
    public int SpectralShells { get; set; }

    [CommandOption("--held-out <FRACTION>")]
    [Description("Share of the dataset held out (seeded split before training) for the reported MAE and R^2. Default 0.2.")]
    public double HeldOut { get; set; } = 0.2;

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
