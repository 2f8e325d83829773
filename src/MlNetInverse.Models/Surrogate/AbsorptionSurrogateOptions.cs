using System.Globalization;

namespace MlNetInverse.Models.Surrogate;

/// <summary>Architecture of an <see cref="AbsorptionSurrogateModel"/>.</summary>
public sealed record AbsorptionSurrogateOptions
{
    /// <summary>Edge length of the square input images in pixels. Default 64; a power of two, at least 8.</summary>
    public int ImageSize { get; init; } = 64;

    /// <summary>Channels of the first convolution stage (channels); later stages use 2x and 4x. Default 16.</summary>
    public int BaseChannels { get; init; } = 16;

    /// <summary>Units of the hidden layer of the regression head (units). Default 64.</summary>
    public int HiddenUnits { get; init; } = 64;

    /// <summary>
    /// Largest |k|^2 (cycles per cell, squared) of the Fourier shells whose power also feeds the head
    /// (<see cref="SpectralShells"/>); 0 = none, the original architecture. Default 0 (the pipelines set it).
    /// </summary>
    public int SpectralShells { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and what is allowed.</exception>
    public void Validate()
    {
        if (ImageSize < 8 || (ImageSize & (ImageSize - 1)) != 0) throw Bad(nameof(ImageSize), ImageSize, "a power of two, at least 8");
        if (BaseChannels < 1) throw Bad(nameof(BaseChannels), BaseChannels, "at least 1");
        if (HiddenUnits < 1) throw Bad(nameof(HiddenUnits), HiddenUnits, "at least 1");
        if (SpectralShells < 0 || SpectralShells > ImageSize * ImageSize / 8) throw Bad(nameof(SpectralShells), SpectralShells, $"0 (none) or a squared wavenumber up to {ImageSize * ImageSize / 8}");
    }

    private static ArgumentException Bad(string option, object value, string expected) =>
        new($"AbsorptionSurrogateOptions.{option} must be {expected}; got {Convert.ToString(value, CultureInfo.InvariantCulture)}.", option);
}
