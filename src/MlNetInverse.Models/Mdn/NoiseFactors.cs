namespace MlNetInverse.Models.Mdn;

/// <summary>
/// The noise correlation an MDN draws with (<see cref="MdnOptions.CorrelatedNoise"/>): one lower-triangular factor C
/// [L, L] for every condition, or one per band of absorption (<see cref="MdnOptions.NoiseBands"/>), centred at
/// <see cref="Centres"/>, of which a draw takes the band whose centre is nearest its condition. Immutable.
/// </summary>
public sealed class NoiseFactors
{
    private readonly float[][] _factors;
    private readonly double[] _centres;

    /// <summary>One factor for every condition.</summary>
    /// <exception cref="ArgumentException">Not L x L values.</exception>
    public NoiseFactors(float[] factor, int latentDimension) : this([factor], [], latentDimension)
    {
    }

    /// <summary>One factor per band; <paramref name="centres"/> (raw absorption, ascending) has one value per factor, or none with a single factor.</summary>
    /// <exception cref="ArgumentException">A factor is not L x L values, or the centres do not match the factors or do not ascend.</exception>
    public NoiseFactors(IReadOnlyList<float[]> factors, IReadOnlyList<double> centres, int latentDimension)
    {
        ArgumentNullException.ThrowIfNull(factors);
        ArgumentNullException.ThrowIfNull(centres);
        int l = latentDimension;
        if (l < 1 || factors.Count < 1 || factors.Any(f => f is null || f.Length != (long)l * l))
            throw new ArgumentException($"Every noise factor must hold L x L = {(long)l * l} values, and there must be at least one.", nameof(factors));
        if (!(centres.Count == factors.Count || (centres.Count == 0 && factors.Count == 1)))
            throw new ArgumentException($"{factors.Count} noise factors need as many band centres; got {centres.Count}.", nameof(centres));
        for (int i = 0; i < centres.Count; i++)
            if (!double.IsFinite(centres[i]) || (i > 0 && !(centres[i] > centres[i - 1])))
                throw new ArgumentException("Band centres must be finite and strictly ascending.", nameof(centres));
        _factors = [.. factors];
        _centres = [.. centres];
        LatentDimension = l;
    }

    /// <summary>
    /// The factors stored back to back in <paramref name="all"/> ([G, L, L] row-major, as the network's buffer and the
    /// ONNX graph hold them) with their <paramref name="centres"/>: none for one factor, else one per band.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="all"/> does not hold one L x L factor per band.</exception>
    public static NoiseFactors FromStacked(float[] all, IReadOnlyList<double> centres, int latentDimension)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(centres);
        long size = (long)latentDimension * latentDimension;
        int bands = Math.Max(1, centres.Count);
        if (latentDimension < 1 || all.Length != bands * size)
            throw new ArgumentException($"{all.Length} values are not {bands} noise factors of L x L = {size}.", nameof(all));
        if (bands == 1) return new NoiseFactors(all, latentDimension);
        return new NoiseFactors(Enumerable.Range(0, bands).Select(b => all.AsSpan((int)(b * size), (int)size).ToArray()).ToArray(), centres, latentDimension);
    }

    /// <summary>Latent values L per draw.</summary>
    public int LatentDimension { get; }

    /// <summary>Bands (1: one factor for every condition).</summary>
    public int Count => _factors.Length;

    /// <summary>Absorption at each band's centre (empty with one factor for every condition).</summary>
    public IReadOnlyList<double> Centres => _centres;

    /// <summary>Factor of band <paramref name="band"/>, row-major [L * L] (shared: do not write).</summary>
    public float[] Factor(int band) => _factors[band];

    /// <summary>The band a draw at <paramref name="condition"/> takes: the nearest centre (ties to the lower); outside the centres, the end band.</summary>
    public int BandOf(float condition)
    {
        if (_centres.Length <= 1) return 0;
        int upper = Array.BinarySearch(_centres, (double)condition);
        if (upper >= 0) return upper;
        upper = ~upper;
        if (upper == 0) return 0;
        if (upper == _centres.Length) return _centres.Length - 1;
        return condition - _centres[upper - 1] <= _centres[upper] - condition ? upper - 1 : upper;
    }

    /// <summary>The factor a draw at <paramref name="condition"/> uses.</summary>
    public float[] For(float condition) => _factors[BandOf(condition)];
}
