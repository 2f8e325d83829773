namespace MlNetInverse.Physics.Statistics;

/// <summary>
/// The per-feature [min, max] box a regression was fitted on. Features are mapped linearly onto [-1, 1] inside it,
/// where Legendre polynomials are well conditioned; a constant feature maps to 0.
/// </summary>
public sealed class FeatureBox
{
    private readonly double[] _min;
    private readonly double[] _max;

    /// <summary>Creates a box from explicit bounds (one per feature; min &lt;= max).</summary>
    /// <exception cref="ArgumentException">Lengths differ, a bound is not finite, or min &gt; max; the message names the feature.</exception>
    public FeatureBox(IReadOnlyList<double> min, IReadOnlyList<double> max)
    {
        ArgumentNullException.ThrowIfNull(min);
        ArgumentNullException.ThrowIfNull(max);
        if (min.Count != max.Count || min.Count == 0) throw new ArgumentException($"A feature box needs one [min, max] per feature; got {min.Count} minima and {max.Count} maxima.");
        for (int f = 0; f < min.Count; f++)
            if (!double.IsFinite(min[f]) || !double.IsFinite(max[f]) || min[f] > max[f])
                throw new ArgumentException($"Feature {f}: the box [{min[f]}, {max[f]}] is not a finite interval.");
        _min = min.ToArray();
        _max = max.ToArray();
    }

    /// <summary>Number of features.</summary>
    public int Features => _min.Length;

    /// <summary>Lower bound of feature <paramref name="feature"/>.</summary>
    public double Min(int feature) => _min[feature];

    /// <summary>Upper bound of feature <paramref name="feature"/>.</summary>
    public double Max(int feature) => _max[feature];

    /// <summary>The smallest box holding every row of <paramref name="rows"/>.</summary>
    /// <exception cref="ArgumentException">No rows, ragged rows, or a value that is not finite.</exception>
    public static FeatureBox Around(IReadOnlyList<double[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("A feature box needs at least one row.", nameof(rows));
        int features = rows[0].Length;
        var min = Enumerable.Repeat(double.PositiveInfinity, features).ToArray();
        var max = Enumerable.Repeat(double.NegativeInfinity, features).ToArray();
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != features) throw new ArgumentException($"Row {i} has {rows[i].Length} features; row 0 has {features}.", nameof(rows));
            for (int f = 0; f < features; f++)
            {
                double v = rows[i][f];
                if (!double.IsFinite(v)) throw new ArgumentException($"Row {i}, feature {f} is {v}; features must be finite.", nameof(rows));
                min[f] = Math.Min(min[f], v);
                max[f] = Math.Max(max[f], v);
            }
        }
        return new FeatureBox(min, max);
    }

    /// <summary>Feature <paramref name="feature"/> of value <paramref name="value"/> mapped onto [-1, 1] (outside the box: beyond).</summary>
    public double Scale(int feature, double value)
    {
        double width = _max[feature] - _min[feature];
        return width == 0 ? 0 : 2 * (value - _min[feature]) / width - 1;
    }
}
