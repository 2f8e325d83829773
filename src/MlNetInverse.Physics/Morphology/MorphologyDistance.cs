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
    /// The root mean square of each distance over <paramref name="distances"/>: the typical size of a distance that
    /// varies from draw to draw (e.g. over several random halvings of one set).
    /// </summary>
    /// <exception cref="ArgumentException">No distances.</exception>
    public static MorphologyDistance RootMeanSquare(IReadOnlyList<MorphologyDistance> distances)
    {
        ArgumentNullException.ThrowIfNull(distances);
        if (distances.Count == 0) throw new ArgumentException("At least one distance is needed.", nameof(distances));
        double Rms(Func<MorphologyDistance, double> value) => Math.Sqrt(distances.Average(d => value(d) * value(d)));
        return new MorphologyDistance(Rms(d => d.TwoPointCorrelation), Rms(d => d.Spectrum), Rms(d => d.SpectrumPeakRadius),
            Rms(d => d.IsolatedPixelRate), Rms(d => d.ComponentsMaterialA), Rms(d => d.ComponentsMaterialB), Rms(d => d.SeamRatio));
    }
}
