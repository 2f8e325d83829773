using System.Numerics;

namespace MlNetInverse.Physics.Optics;

/// <summary>
/// A dispersive material from a table of (wavelength nm, n, k). n and k are interpolated linearly in wavelength;
/// eps = (n + ik)^2. Asking outside the table is an error, not an extrapolation.
/// </summary>
public sealed class TabulatedMaterial : Material
{
    private readonly double[] _wavelengthsNm, _n, _k;

    public TabulatedMaterial(string name, IReadOnlyList<(double WavelengthNm, double N, double K)> table) : base(name)
    {
        if (table.Count == 0) throw new ArgumentException($"Material '{name}': the n,k table is empty.");
        var sorted = table.OrderBy(r => r.WavelengthNm).ToArray();
        for (int i = 0; i < sorted.Length; i++)
        {
            var (wl, n, k) = sorted[i];
            if (!double.IsFinite(wl) || wl <= 0 || !double.IsFinite(n) || !double.IsFinite(k) || k < 0)
                throw new ArgumentException($"Material '{name}': row {i + 1} ({wl} nm, n={n}, k={k}) needs a positive wavelength, finite n and k >= 0.");
            if (i > 0 && sorted[i - 1].WavelengthNm == wl)
                throw new ArgumentException($"Material '{name}': wavelength {wl} nm appears twice in the n,k table.");
        }
        _wavelengthsNm = sorted.Select(r => r.WavelengthNm).ToArray();
        _n = sorted.Select(r => r.N).ToArray();
        _k = sorted.Select(r => r.K).ToArray();
    }

    /// <summary>The table rows, sorted by wavelength.</summary>
    public IReadOnlyList<(double WavelengthNm, double N, double K)> Table =>
        _wavelengthsNm.Select((wl, i) => (wl, _n[i], _k[i])).ToArray();

    public override Complex Permittivity(double wavelengthNm)
    {
        double first = _wavelengthsNm[0], last = _wavelengthsNm[^1];
        if (!(wavelengthNm >= first && wavelengthNm <= last))
            throw new ArgumentOutOfRangeException(nameof(wavelengthNm), wavelengthNm,
                $"Material '{Name}' is tabulated from {first} to {last} nm only.");
        int hi = Array.BinarySearch(_wavelengthsNm, wavelengthNm);
        double n, k;
        if (hi >= 0) { n = _n[hi]; k = _k[hi]; }
        else
        {
            hi = ~hi;
            int lo = hi - 1;
            double w = (wavelengthNm - _wavelengthsNm[lo]) / (_wavelengthsNm[hi] - _wavelengthsNm[lo]);
            n = _n[lo] + w * (_n[hi] - _n[lo]);
            k = _k[lo] + w * (_k[hi] - _k[lo]);
        }
        var index = new Complex(n, k);
        return index * index;
    }
}
