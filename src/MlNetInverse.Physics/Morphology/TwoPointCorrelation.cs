using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Physics.Morphology;

/// <summary>
/// The periodic two-point correlation of material A: S2(d) = probability that pixel x and pixel x + d (indices taken
/// modulo N) are both material A, for every displacement d of the cell, and its radial average S2(r).
/// </summary>
/// <remarks>
/// S2(0) is the volume fraction and S2 tends to its square for displacements beyond the feature size; how it gets
/// there is the shape of the features. Computed as |F(I)|^2 transformed back (Wiener-Khinchin) with the project's
/// portable lattice FFT, so the values are bit-identical on every machine. Displacements are taken on [-N/2, N/2)^2 and
/// binned like the spectrum's wave vectors (<see cref="RadialSpectralDensity"/>): bin r holds r - 0.5 &lt;= |d| &lt; r + 0.5
/// and reports the mean over its displacements; bins r = 0 .. N/2 are kept (beyond, the shells leave the cell's square).
/// </remarks>
public sealed class TwoPointCorrelation
{
    private readonly double[] _values;
    private readonly double[] _radial;

    private TwoPointCorrelation(int size, double[] values, double[] radial)
    {
        Size = size;
        _values = values;
        _radial = radial;
    }

    /// <summary>Edge length in pixels of the measured map.</summary>
    public int Size { get; }

    /// <summary>Radially averaged S2(r) for r = 0 .. N/2 pixels; S2(0) is the volume fraction.</summary>
    public IReadOnlyList<double> Radial => _radial;

    /// <summary>S2 at displacement (dx, dy) in pixels; any integers (taken modulo N).</summary>
    public double this[int dx, int dy] => _values[Wrap(dx) * Size + Wrap(dy)];

    /// <summary>Measures one map (pixels above 0.5 are material A).</summary>
    public static TwoPointCorrelation Of(Microstructure map)
    {
        ArgumentNullException.ThrowIfNull(map);
        int n = map.Size;
        var isMaterialA = PhaseMask.Of(map);
        var re = new double[n * n];
        var im = new double[n * n];
        for (int i = 0; i < re.Length; i++) re[i] = isMaterialA[i] ? 1 : 0;
        var transform = new LatticeFourierTransform(n);
        transform.Transform(re, im, inverse: false);
        for (int i = 0; i < re.Length; i++) { re[i] = re[i] * re[i] + im[i] * im[i]; im[i] = 0; }
        transform.Transform(re, im, inverse: true);
        // Forward then unnormalized inverse multiplies by N^2; the average over the N^2 origins divides by N^2 again.
        double scale = 1.0 / ((double)n * n * n * n);
        for (int i = 0; i < re.Length; i++) re[i] *= scale;
        var (bins, counts) = RadialSpectralDensity.Bins(n);
        var radial = new double[n / 2 + 1];
        for (int i = 0; i < re.Length; i++)
            if (bins[i] < radial.Length) radial[bins[i]] += re[i];
        for (int r = 0; r < radial.Length; r++) radial[r] /= counts[r];
        return new TwoPointCorrelation(n, re, radial);
    }

    private int Wrap(int d) => ((d % Size) + Size) % Size;
}
