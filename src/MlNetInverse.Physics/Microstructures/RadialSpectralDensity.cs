namespace MlNetInverse.Physics.Microstructures;

/// <summary>
/// The measured, radially binned power spectrum of a set of microstructures: what the SDF of a GRF generator looks
/// like after the level cut, and the statistic used to compare generated images with training images.
/// </summary>
/// <remarks>
/// Each map has its mean subtracted and is transformed on its own integer k-grid [-N/2, N/2)^2; the power of a wave
/// vector is |F(k)|^2 / N^4, so that power summed over all k equals the pixel variance of the map. Wave vectors are
/// binned by |k| rounded to the nearest integer (cycles per cell; bin r holds r - 0.5 &lt;= |k| &lt; r + 0.5), and
/// each bin reports the mean power per wave vector, averaged over all maps: the estimate of S(|k|) itself, which
/// peaks at a ring's radius (a sum per bin would grow with the bin's circumference and peak further out).
/// </remarks>
public sealed class RadialSpectralDensity
{
    private readonly double[] _power;
    private readonly int[] _modeCounts;

    private RadialSpectralDensity(int size, int mapCount, double[] power, int[] modeCounts)
    {
        Size = size;
        MapCount = mapCount;
        _power = power;
        _modeCounts = modeCounts;
        PeakRadius = 0; // power[0] is 0, so any positive bin replaces it; the first of equal maxima wins
        for (int r = 1; r < power.Length; r++)
            if (power[r] > power[PeakRadius]) PeakRadius = r;
    }

    /// <summary>Edge length in pixels of the measured maps.</summary>
    public int Size { get; }

    /// <summary>Number of maps averaged.</summary>
    public int MapCount { get; }

    /// <summary>Mean power per wave vector in bin r = round(|k|), r = 0 .. round(N / sqrt 2); bin 0 is 0 (mean removed).</summary>
    public IReadOnlyList<double> Power => _power;

    /// <summary>Number of integer wave vectors in each bin.</summary>
    public IReadOnlyList<int> ModeCounts => _modeCounts;

    /// <summary>The radius (cycles per cell, &gt;= 1) of the largest bin; 0 when every map is uniform.</summary>
    public int PeakRadius { get; }

    /// <summary>Total power: the mean pixel variance of the maps.</summary>
    public double TotalPower
    {
        get
        {
            double sum = 0;
            for (int r = 0; r < _power.Length; r++) sum += _power[r] * _modeCounts[r];
            return sum;
        }
    }

    /// <summary>Measures the spectrum of <paramref name="maps"/> (binary or grey, all the same size).</summary>
    /// <exception cref="ArgumentException">No maps, or maps of different sizes.</exception>
    public static RadialSpectralDensity Measure(IEnumerable<Microstructure> maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        LatticeFourierTransform? transform = null;
        int[]? bins = null;
        int[] modeCounts = [];
        double[] sums = [];
        int count = 0;
        double[] re = [], im = [];
        foreach (var map in maps)
        {
            ArgumentNullException.ThrowIfNull(map, nameof(maps));
            int n = map.Size;
            if (transform is null)
            {
                transform = new LatticeFourierTransform(n);
                (bins, modeCounts) = Bins(n);
                sums = new double[modeCounts.Length];
                re = new double[n * n];
                im = new double[n * n];
            }
            else if (n != transform.Size)
            {
                throw new ArgumentException($"Map {count} is {n}x{n}, but the first map is {transform.Size}x{transform.Size}; a spectrum needs maps of one size.", nameof(maps));
            }
            double mean = map.VolumeFraction;
            var pixels = map.Pixels;
            for (int i = 0; i < re.Length; i++) { re[i] = pixels[i] - mean; im[i] = 0; }
            transform.Transform(re, im, inverse: false);
            double scale = 1.0 / ((double)n * n * n * n);
            for (int i = 0; i < re.Length; i++) sums[bins![i]] += (re[i] * re[i] + im[i] * im[i]) * scale;
            count++;
        }
        if (count == 0) throw new ArgumentException("At least one map is needed to measure a spectrum.", nameof(maps));
        var power = new double[sums.Length];
        for (int r = 0; r < power.Length; r++) power[r] = modeCounts[r] == 0 ? 0 : sums[r] / ((double)modeCounts[r] * count);
        power[0] = 0; // only k = 0, which is the removed mean; keep it exactly 0 rather than rounding noise
        return new RadialSpectralDensity(transform!.Size, count, power, modeCounts);
    }

    /// <summary>
    /// The spectrum of the union of the maps behind <paramref name="parts"/>: their powers averaged with weights by map
    /// count, so measuring maps one by one and combining equals measuring them together (up to rounding).
    /// </summary>
    /// <exception cref="ArgumentException">No parts, or spectra of maps of different sizes.</exception>
    public static RadialSpectralDensity Combine(IEnumerable<RadialSpectralDensity> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        RadialSpectralDensity? first = null;
        double[] sums = [];
        int count = 0;
        foreach (var part in parts)
        {
            ArgumentNullException.ThrowIfNull(part, nameof(parts));
            if (first is null) { first = part; sums = new double[part._power.Length]; }
            else if (part.Size != first.Size)
                throw new ArgumentException($"A spectrum of {part.Size}x{part.Size} maps cannot be combined with one of {first.Size}x{first.Size} maps.", nameof(parts));
            for (int r = 0; r < sums.Length; r++) sums[r] += part._power[r] * part.MapCount;
            count += part.MapCount;
        }
        if (first is null) throw new ArgumentException("At least one spectrum is needed to combine.", nameof(parts));
        for (int r = 0; r < sums.Length; r++) sums[r] /= count;
        return new RadialSpectralDensity(first.Size, count, sums, first._modeCounts);
    }

    /// <summary>
    /// Bin of every lattice vector of an N x N cell (index x * N + y, components on [-N/2, N/2)): round(|k|), and the
    /// number of vectors per bin. The two-point correlation bins its periodic displacements the same way.
    /// </summary>
    internal static (int[] Bins, int[] ModeCounts) Bins(int n)
    {
        var bins = new int[n * n];
        int maxBin = 0;
        for (int ix = 0; ix < n; ix++)
        {
            int kx = LatticeFourierTransform.WaveNumber(ix, n);
            for (int iy = 0; iy < n; iy++)
            {
                int ky = LatticeFourierTransform.WaveNumber(iy, n);
                int bin = (int)Math.Round(Math.Sqrt(kx * kx + ky * ky), MidpointRounding.AwayFromZero);
                bins[ix * n + iy] = bin;
                maxBin = Math.Max(maxBin, bin);
            }
        }
        var modeCounts = new int[maxBin + 1];
        foreach (int b in bins) modeCounts[b]++;
        return (bins, modeCounts);
    }
}
