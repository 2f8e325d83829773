namespace MlNetInverse.Physics.Microstructures;

/// <summary>
/// Periodic Gaussian-random-field microstructures: white noise shaped by an SDF on the integer k-grid of the cell,
/// level-cut at the quantile that gives the requested volume fraction.
/// </summary>
/// <remarks>
/// Only integer wave vectors (kx, ky) in [-N/2, N/2) carry power, so the field is a trigonometric polynomial with
/// period N in both directions: the cell tiles without a seam, as an RCWA unit cell must (SDF generators that draw
/// off-lattice k leave a seam at the cell edge). The noise is made Hermitian, c(-k) = conj(c(k)), and self-conjugate
/// wave vectors get real noise, so the inverse DFT is real by construction rather than by discarding an imaginary part.
/// Randomness comes from <see cref="GrfRandom"/> (xoshiro256** seeded by SplitMix64 from the seed) and all arithmetic
/// is portable IEEE-754, so the map for a (parameters, seed) pair is bit-identical on every machine; an instance holds
/// read-only tables only, so <see cref="Generate"/> may be called from several threads at once.
/// </remarks>
public sealed class GaussianRandomFieldGenerator
{
    private readonly LatticeFourierTransform _transform;

    /// <summary>Creates a generator for <paramref name="size"/> x <paramref name="size"/> cells (default 64).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is odd or below 4.</exception>
    public GaussianRandomFieldGenerator(int size = Microstructure.DefaultSize)
    {
        if (size < 4 || size % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, "GRF cell size must be even and at least 4 pixels (the k-grid is [-N/2, N/2)).");
        Size = size;
        _transform = new LatticeFourierTransform(size);
    }

    /// <summary>Edge length in pixels.</summary>
    public int Size { get; }

    /// <summary>Generates the binary map for these parameters; the same seed always gives the same map.</summary>
    /// <remarks>Exactly round(vf * N^2) pixels (midpoint away from zero) are material A: the highest field values.</remarks>
    /// <exception cref="ArgumentException">A parameter is out of range, or the SDF is zero on every allowed k.</exception>
    public Microstructure Generate(GrfParameters parameters, long seed)
    {
        var field = GenerateField(parameters, seed);
        int materialACount = (int)Math.Round(parameters.VolumeFraction * field.Length, MidpointRounding.AwayFromZero);
        return Microstructure.FromBinary(LevelCut(field, materialACount), Size);
    }

    /// <summary>The real, zero-mean, band-limited field before the level cut (x * N + y layout).</summary>
    internal double[] GenerateField(GrfParameters parameters, long seed)
    {
        int n = Size;
        var amplitudes = SpectralDensityGrid.Amplitudes(parameters, n);
        var random = new GrfRandom(seed);
        var re = new double[n * n];
        var im = new double[n * n];
        // Visit wave vectors in index order; the first of each (k, -k) pair draws, the second takes the conjugate.
        // A pair of normals is drawn for every first visit, even where S is 0, so the stream layout never depends
        // on the parameters.
        for (int ix = 0; ix < n; ix++)
        {
            for (int iy = 0; iy < n; iy++)
            {
                int index = ix * n + iy;
                int partner = (n - ix) % n * n + (n - iy) % n;
                if (partner < index)
                {
                    re[index] = re[partner];
                    im[index] = -im[partner];
                    continue;
                }
                var (a, b) = random.NextGaussianPair();
                double amplitude = amplitudes[index];
                if (partner == index)
                {
                    re[index] = amplitude * a; // self-conjugate (k = 0 or a Nyquist corner/edge): real, E|c|^2 = S
                }
                else
                {
                    re[index] = amplitude * a * Math.Sqrt(0.5); // complex circular, E|c|^2 = S
                    im[index] = amplitude * b * Math.Sqrt(0.5);
                }
            }
        }
        _transform.Transform(re, im, inverse: true);
        return re; // im is rounding noise only (~1e-16 of the field), the spectrum being Hermitian
    }

    /// <summary>
    /// Marks exactly <paramref name="count"/> pixels: those with the highest values; ties at the cut go to the lowest
    /// indices, so the result never depends on the sort algorithm.
    /// </summary>
    internal static bool[] LevelCut(double[] field, int count)
    {
        var isMaterialA = new bool[field.Length];
        if (count <= 0) return isMaterialA;
        if (count >= field.Length) { Array.Fill(isMaterialA, true); return isMaterialA; }
        var sorted = (double[])field.Clone();
        Array.Sort(sorted);
        double threshold = sorted[field.Length - count];
        int remaining = count;
        for (int i = 0; i < field.Length; i++)
            if (field[i] > threshold) { isMaterialA[i] = true; remaining--; }
        for (int i = 0; i < field.Length && remaining > 0; i++)
            if (field[i] == threshold) { isMaterialA[i] = true; remaining--; }
        return isMaterialA;
    }
}
