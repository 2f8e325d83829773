using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Physics.Morphology;

/// <summary>
/// The morphology of a set of binary maps: the mean two-point correlation curve, the mean radial spectral density and
/// its peak, the mean isolated-pixel rate, the mean number of components per phase and the pooled periodic seam.
/// <see cref="DistanceTo"/> compares two sets statistic by statistic.
/// </summary>
public sealed class MorphologyStatistics
{
    private readonly double[] _twoPointCorrelation;

    private MorphologyStatistics(IReadOnlyList<MapMorphology> maps)
    {
        Count = maps.Count;
        Size = maps[0].Size;
        int bins = maps[0].TwoPointCorrelation.Count;
        _twoPointCorrelation = new double[bins];
        foreach (var m in maps)
        {
            if (m.Size != Size)
                throw new ArgumentException($"A {m.Size}x{m.Size} map cannot join a set of {Size}x{Size} maps; morphology compares maps of one size.", nameof(maps));
            for (int r = 0; r < bins; r++) _twoPointCorrelation[r] += m.TwoPointCorrelation[r];
            VolumeFraction += m.VolumeFraction;
            IsolatedPixelRate += m.IsolatedPixelRate;
            ComponentsMaterialA += m.Components.MaterialA;
            ComponentsMaterialB += m.Components.MaterialB;
        }
        for (int r = 0; r < bins; r++) _twoPointCorrelation[r] /= Count;
        VolumeFraction /= Count;
        IsolatedPixelRate /= Count;
        ComponentsMaterialA /= Count;
        ComponentsMaterialB /= Count;
        Spectrum = RadialSpectralDensity.Combine(maps.Select(m => m.Spectrum));
        Seam = PeriodicSeam.Pool(maps.Select(m => m.Seam));
    }

    /// <summary>Maps in the set.</summary>
    public int Count { get; }

    /// <summary>Edge length in pixels.</summary>
    public int Size { get; }

    /// <summary>Mean fraction of material A.</summary>
    public double VolumeFraction { get; }

    /// <summary>Mean radially averaged S2(r), r = 0 .. N/2 pixels.</summary>
    public IReadOnlyList<double> TwoPointCorrelation => _twoPointCorrelation;

    /// <summary>Mean radial spectral density of the set (power per wave vector by |k| in cycles per cell).</summary>
    public RadialSpectralDensity Spectrum { get; }

    /// <summary>Radius of the spectrum's largest bin (cycles per cell).</summary>
    public int SpectrumPeakRadius => Spectrum.PeakRadius;

    /// <summary>Mean fraction of isolated pixels per map.</summary>
    public double IsolatedPixelRate { get; }

    /// <summary>Mean number of material-A components per map.</summary>
    public double ComponentsMaterialA { get; }

    /// <summary>Mean number of material-B components per map.</summary>
    public double ComponentsMaterialB { get; }

    /// <summary>Neighbour disagreement across the cell edge and the interior, pooled over the maps.</summary>
    public PeriodicSeam Seam { get; }

    /// <summary>Aggregates maps measured already.</summary>
    /// <exception cref="ArgumentException">No maps, or maps of different sizes.</exception>
    public static MorphologyStatistics Of(IReadOnlyList<MapMorphology> maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        if (maps.Count == 0) throw new ArgumentException("Morphology statistics need at least one map.", nameof(maps));
        return new MorphologyStatistics(maps);
    }

    /// <summary>Measures and aggregates <paramref name="maps"/> (pixels above 0.5 are material A).</summary>
    /// <exception cref="ArgumentException">No maps, or maps of different sizes.</exception>
    public static MorphologyStatistics Of(IReadOnlyList<Microstructure> maps) => Of(MapMorphology.OfAll(maps));

    /// <summary>This set against <paramref name="other"/>, statistic by statistic (see <see cref="MorphologyDistance"/>).</summary>
    /// <exception cref="ArgumentException">Sets of maps of different sizes.</exception>
    public MorphologyDistance DistanceTo(MorphologyStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Size != Size)
            throw new ArgumentException($"Maps of {Size}x{Size} cannot be compared with maps of {other.Size}x{other.Size}.", nameof(other));
        return new MorphologyDistance(
            L2(_twoPointCorrelation, other._twoPointCorrelation),
            L2(Spectrum.Power, other.Spectrum.Power),
            Math.Abs(SpectrumPeakRadius - other.SpectrumPeakRadius),
            Math.Abs(IsolatedPixelRate - other.IsolatedPixelRate),
            Math.Abs(ComponentsMaterialA - other.ComponentsMaterialA),
            Math.Abs(ComponentsMaterialB - other.ComponentsMaterialB),
            Math.Abs(Seam.Ratio - other.Seam.Ratio));
    }

    private static double L2(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Count; i++) sum += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.Sqrt(sum);
    }
}
