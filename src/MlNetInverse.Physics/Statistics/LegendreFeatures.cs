namespace MlNetInverse.Physics.Statistics;

/// <summary>
/// A polynomial basis of total degree at most <see cref="Degree"/> in the features of a <see cref="FeatureBox"/>:
/// products of Legendre polynomials P_a(x1) P_b(x2) ... with a + b + ... &lt;= Degree, in a fixed order (constant
/// first). Legendre rather than plain powers keeps least squares well conditioned up to degree 10 and beyond.
/// </summary>
public sealed class LegendreFeatures
{
    private readonly int[][] _exponents;

    /// <summary>Creates the basis of total degree <paramref name="degree"/> (&gt;= 0) over <paramref name="box"/>.</summary>
    public LegendreFeatures(FeatureBox box, int degree)
    {
        ArgumentNullException.ThrowIfNull(box);
        ArgumentOutOfRangeException.ThrowIfNegative(degree);
        Box = box;
        Degree = degree;
        _exponents = MultiIndices(box.Features, degree).ToArray();
    }

    /// <summary>The box the features are scaled in.</summary>
    public FeatureBox Box { get; }

    /// <summary>Largest total degree.</summary>
    public int Degree { get; }

    /// <summary>Number of basis functions: C(features + degree, degree).</summary>
    public int Count => _exponents.Length;

    /// <summary>Writes the basis functions at <paramref name="features"/> into <paramref name="values"/> (length <see cref="Count"/>).</summary>
    public void Evaluate(ReadOnlySpan<double> features, Span<double> values)
    {
        if (features.Length != Box.Features) throw new ArgumentException($"Expected {Box.Features} features; got {features.Length}.", nameof(features));
        if (values.Length != Count) throw new ArgumentException($"Expected room for {Count} basis values; got {values.Length}.", nameof(values));
        // Legendre values per feature by the three-term recurrence, then products per multi-index.
        var legendre = new double[Box.Features, Degree + 1];
        for (int f = 0; f < Box.Features; f++)
        {
            double x = Box.Scale(f, features[f]);
            legendre[f, 0] = 1;
            if (Degree >= 1) legendre[f, 1] = x;
            for (int n = 1; n < Degree; n++) legendre[f, n + 1] = ((2 * n + 1) * x * legendre[f, n] - n * legendre[f, n - 1]) / (n + 1);
        }
        for (int j = 0; j < _exponents.Length; j++)
        {
            double product = 1;
            for (int f = 0; f < Box.Features; f++) product *= legendre[f, _exponents[j][f]];
            values[j] = product;
        }
    }

    /// <summary>Every exponent vector of <paramref name="features"/> non-negative integers summing to at most <paramref name="degree"/>, by total degree.</summary>
    private static IEnumerable<int[]> MultiIndices(int features, int degree)
    {
        for (int total = 0; total <= degree; total++)
            foreach (var index in WithSum(features, total))
                yield return index;
    }

    private static IEnumerable<int[]> WithSum(int features, int total)
    {
        if (features == 1)
        {
            yield return [total];
            yield break;
        }
        for (int first = total; first >= 0; first--)
            foreach (var rest in WithSum(features - 1, total - first))
                yield return [first, .. rest];
    }
}
