namespace MlNetInverse.Physics.Morphology;

/// <summary>
/// How far apart two sets of maps are, statistic by statistic (all non-negative; 0 for a set against itself).
/// </summary>
/// <param name="TwoPointCorrelation">L2 distance between the mean S2(r) curves (sum over r = 0 .. N/2 pixels).</param>
/// <param name="Spectrum">L2 distance between the mean radial spectral densities (sum over all radius bins).</param>
/// <param name="SpectrumPeakRadius">Difference of the spectra's peak radii (cycles per cell).</param>
/// <param name="IsolatedPixelRate">Difference of the mean isolated-pixel rates (fraction of pixels).</param>
/// <param name="ComponentsMaterialA">Difference of the mean material-A component counts per map.</param>
/// <param name="ComponentsMaterialB">Difference of the mean material-B component counts per map.</param>
/// <param name="SeamRatio">Difference of the pooled seam ratios.</param>
public sealed record MorphologyDistance(double TwoPointCorrelation, double Spectrum, double SpectrumPeakRadius, double IsolatedPixelRate,
    double ComponentsMaterialA, double ComponentsMaterialB, double SeamRatio)
{
    /// <summary>Every distance multiplied by <paramref name="factor"/>.</summary>
    public MorphologyDistance Scale(double factor) => new(TwoPointCorrelation * factor, Spectrum * factor, SpectrumPeakRadius * factor,
        IsolatedPixelRate * factor, ComponentsMaterialA * factor, ComponentsMaterialB * factor, SeamRatio * factor);

    /// <summary>
    /// The largest of each distance over <paramref name="distances"/>: how far apart the draws (e.g. random halvings of
    /// one set) came at most, statistic by statistic.
    /// </summary>
    /// <exception cref="ArgumentException">No distances.</exception>
    public static MorphologyDistance Maximum(IReadOnlyList<MorphologyDistance> distances)
    {
        ArgumentNullException.ThrowIfNull(distances);
        if (distances.Count == 0) throw new ArgumentException("At least one distance is needed.", nameof(distances));
        return new MorphologyDistance(distances.Max(d => d.TwoPointCorrelation), distances.Max(d => d.Spectrum), distances.Max(d => d.SpectrumPeakRadius),
            distances.Max(d => d.IsolatedPixelRate), distances.Max(d => d.ComponentsMaterialA), distances.Max(d => d.ComponentsMaterialB), distances.Max(d => d.SeamRatio));
    }
}
