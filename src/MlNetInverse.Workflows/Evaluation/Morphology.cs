using System.Text.Json.Nodes;
using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// What a set of maps looks like beyond its absorption: volume fraction (mean, sample standard deviation) and the
/// radial spectral density (<see cref="RadialSpectralDensity"/>): its peak radius (cycles per cell) and its shape as
/// the share of the pixel variance at each radius, so sets with different volume fractions compare by shape alone.
/// </summary>
/// <param name="Count">Maps measured.</param>
/// <param name="VolumeFractionMean">Mean fraction of material A.</param>
/// <param name="VolumeFractionStd">Its sample standard deviation (0 for one map).</param>
/// <param name="PeakRadius">Radius of the largest spectral bin (cycles per cell; 0 when every map is uniform).</param>
/// <param name="SpectrumShares">Share of the variance per radius bin r = 0, 1, ... (sums to 1; all 0 for uniform maps).</param>
internal sealed record Morphology(int Count, double VolumeFractionMean, double VolumeFractionStd, int PeakRadius, double[] SpectrumShares)
{
    /// <summary>Measures <paramref name="maps"/> (at least one).</summary>
    /// <exception cref="ArgumentException">No maps.</exception>
    public static Morphology Of(IReadOnlyList<Microstructure> maps)
    {
        if (maps.Count == 0) throw new ArgumentException("Morphology needs at least one map.", nameof(maps));
        var fractions = maps.Select(m => m.VolumeFraction).ToArray();
        double mean = fractions.Average();
        double std = fractions.Length > 1 ? Math.Sqrt(fractions.Sum(v => (v - mean) * (v - mean)) / (fractions.Length - 1)) : 0;
        var spectrum = RadialSpectralDensity.Measure(maps);
        double total = spectrum.TotalPower;
        var shares = new double[spectrum.Power.Count];
        if (total > 0)
            for (int r = 0; r < shares.Length; r++) shares[r] = spectrum.Power[r] * spectrum.ModeCounts[r] / total;
        return new Morphology(maps.Count, mean, std, spectrum.PeakRadius, shares);
    }

    /// <summary>
    /// Total-variation distance between the two spectrum shapes: half the summed absolute difference of the shares,
    /// 0 for the same shape, 1 when the variance sits at entirely different radii.
    /// </summary>
    /// <exception cref="ArgumentException">Spectra of maps of different sizes.</exception>
    public double SpectrumDistanceTo(Morphology other)
    {
        if (other.SpectrumShares.Length != SpectrumShares.Length)
            throw new ArgumentException("Spectra of maps of different sizes cannot be compared.", nameof(other));
        double sum = 0;
        for (int r = 0; r < SpectrumShares.Length; r++) sum += Math.Abs(SpectrumShares[r] - other.SpectrumShares[r]);
        return sum / 2;
    }

    /// <summary>As JSON: count, volume fraction mean and std, peak radius (the full spectrum stays out of the report).</summary>
    public JsonObject ToJson() => new()
    {
        ["count"] = Count,
        ["volume_fraction_mean"] = Math.Round(VolumeFractionMean, 4),
        ["volume_fraction_std"] = Math.Round(VolumeFractionStd, 4),
        ["sdf_peak_radius"] = PeakRadius,
    };
}
