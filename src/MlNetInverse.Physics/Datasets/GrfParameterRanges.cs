using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Physics.Datasets;

/// <summary>
/// The box the dataset's GRF parameters are drawn from, each uniformly and independently. Wavenumbers are in cycles
/// per unit cell (the integer k-grid of the N x N cell), so they do not depend on the pixel count.
/// </summary>
public sealed record GrfParameterRanges
{
    /// <summary>SDF family of every sample. Default <see cref="SpectralDensityFamily.Ring"/> (the paper's data).</summary>
    public SpectralDensityFamily Family { get; init; } = SpectralDensityFamily.Ring;

    // The wavenumber defaults are bounded by physics, not by the generator: RCWA truncated at M = 5 (nG = 121)
    // resolves patterns whose power sits at |k| <= ~5 cycles per cell. Rings at 3-10 (tried first) left Laurent and Li
    // 25-40 % apart even at nG = 225; at 1.5-4 the label moves < 1.3 % between nG = 81 and 121 (data/README.md).

    /// <summary>Ring centre |k| in cycles per cell. Default [1.5, 4]. Not used by the Gaussian family but still sampled and stored.</summary>
    public ParameterRange MeanWavenumber { get; init; } = new(1.5, 4);

    /// <summary>Ring (or Gaussian) width in cycles per cell, &gt; 0. Default [0.4, 1.2].</summary>
    public ParameterRange StdWavenumber { get; init; } = new(0.4, 1.2);

    /// <summary>Fraction of pixels that are material A, inside (0, 1). Default [0.1, 0.9].</summary>
    public ParameterRange VolumeFraction { get; init; } = new(0.1, 0.9);

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the first invalid range for <paramref name="size"/> x
    /// <paramref name="size"/> cells: wavenumbers must stay within the Nyquist limit size/2.
    /// </summary>
    public void Validate(int size = Microstructure.DefaultSize)
    {
        if (!Enum.IsDefined(Family)) throw new ArgumentException($"SDF family {(int)Family} is unknown.");
        MeanWavenumber.ValidateOrder("Mean wavenumber");
        StdWavenumber.ValidateOrder("Std wavenumber");
        VolumeFraction.ValidateOrder("Volume fraction");
        double nyquist = size / 2.0;
        if (MeanWavenumber.Min < 0 || MeanWavenumber.Max > nyquist)
            throw new ArgumentException($"Mean wavenumber range {MeanWavenumber} must lie in [0, {nyquist}] cycles per cell (Nyquist limit of a {size}x{size} cell).");
        if (StdWavenumber.Min <= 0 || StdWavenumber.Max > nyquist)
            throw new ArgumentException($"Std wavenumber range {StdWavenumber} must lie in (0, {nyquist}] cycles per cell.");
        if (VolumeFraction.Min <= 0 || VolumeFraction.Max >= 1)
            throw new ArgumentException($"Volume fraction range {VolumeFraction} must lie inside (0, 1).");
    }
}
