namespace MlNetInverse.Physics.Morphology;

/// <summary>The statistics a <see cref="MorphologyComparison"/> checks, in report order.</summary>
public enum MorphologyStatistic
{
    /// <summary>L2 distance between the mean two-point correlation curves S2(r).</summary>
    TwoPointCorrelation,

    /// <summary>L2 distance between the mean radial spectral densities.</summary>
    Spectrum,

    /// <summary>The spectral density's peak radius (cycles per cell).</summary>
    SpectrumPeak,

    /// <summary>The isolated-pixel rate (speckle).</summary>
    IsolatedPixels,

    /// <summary>Connected components of material A per map.</summary>
    ComponentsMaterialA,

    /// <summary>Connected components of material B per map.</summary>
    ComponentsMaterialB,

    /// <summary>Neighbour disagreement across the cell edge over that across interior lines.</summary>
    PeriodicSeam,
}
