using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Physics.Morphology;

/// <summary>
/// Every morphology statistic of one binary map (pixels above 0.5 are material A), measured once so that sets, halves
/// and repeated splits of a set are averages of these and never measure a map twice.
/// </summary>
/// <param name="Size">Edge length in pixels.</param>
/// <param name="VolumeFraction">Fraction of material A.</param>
/// <param name="TwoPointCorrelation">Radially averaged S2(r), r = 0 .. N/2 pixels.</param>
/// <param name="Spectrum">The map's radial spectral density.</param>
/// <param name="IsolatedPixels">Pixels whose four periodic neighbours are all of the other phase.</param>
/// <param name="Components">Periodic 4-connected components per phase.</param>
/// <param name="Seam">Neighbour disagreement across the cell edge and across interior lines.</param>
public sealed record MapMorphology(int Size, double VolumeFraction, IReadOnlyList<double> TwoPointCorrelation, RadialSpectralDensity Spectrum,
    int IsolatedPixels, PhaseComponents Components, PeriodicSeam Seam)
{
    /// <summary>Isolated pixels as a fraction of all pixels.</summary>
    public double IsolatedPixelRate => (double)IsolatedPixels / (Size * Size);

    /// <summary>Measures <paramref name="map"/>.</summary>
    public static MapMorphology Of(Microstructure map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var binary = map.IsBinary ? map : map.Binarize();
        return new MapMorphology(binary.Size, binary.VolumeFraction, Morphology.TwoPointCorrelation.Of(binary).Radial,
            RadialSpectralDensity.Measure([binary]), Morphology.IsolatedPixels.Count(binary), PhaseComponents.Count(binary), PeriodicSeam.Of(binary));
    }

    /// <summary>Measures every map, in parallel (the result keeps the input order).</summary>
    public static MapMorphology[] OfAll(IReadOnlyList<Microstructure> maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var result = new MapMorphology[maps.Count];
        Parallel.For(0, maps.Count, i => result[i] = Of(maps[i]));
        return result;
    }
}
