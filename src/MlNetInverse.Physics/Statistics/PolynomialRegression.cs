namespace MlNetInverse.Physics.Statistics;

/// <summary>
/// A least-squares polynomial fit of a label on a few features (total degree <see cref="Degree"/>, Legendre basis):
/// the smooth regressions behind the dataset's volume-fraction diagnostic and the learning-free VF control.
/// </summary>
public sealed class PolynomialRegression
{
    private readonly LegendreFeatures _basis;
    private readonly double[] _coefficients;

    private PolynomialRegression(LegendreFeatures basis, double[] coefficients)
    {
        _basis = basis;
        _coefficients = coefficients;
    }

    /// <summary>Total degree of the polynomial.</summary>
    public int Degree => _basis.Degree;

    /// <summary>Number of features it takes.</summary>
    public int Features => _basis.Box.Features;

    /// <summary>The box the fit was made in (the training rows' range unless given).</summary>
    public FeatureBox Box => _basis.Box;

    /// <summary>
    /// Fits <paramref name="labels"/> on <paramref name="features"/> (one row per sample) by least squares
    /// (Householder QR). The basis is scaled in <paramref name="box"/>, by default the rows' own range.
    /// </summary>
    /// <exception cref="ArgumentException">Rows and labels disagree, fewer rows than basis functions, or a value that is not finite.</exception>
    public static PolynomialRegression Fit(IReadOnlyList<double[]> features, IReadOnlyList<double> labels, int degree, FeatureBox? box = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Count != labels.Count) throw new ArgumentException($"{features.Count} feature rows but {labels.Count} labels.", nameof(labels));
        for (int i = 0; i < labels.Count; i++)
            if (!double.IsFinite(labels[i])) throw new ArgumentException($"Label {i} is {labels[i]}; labels must be finite.", nameof(labels));
        var basis = new LegendreFeatures(box ?? FeatureBox.Around(features), degree);
        if (features.Count < basis.Count)
            throw new ArgumentException($"A degree-{degree} fit in {basis.Box.Features} feature(s) has {basis.Count} coefficients but only {features.Count} rows.", nameof(features));
        var design = new double[features.Count, basis.Count];
        var row = new double[basis.Count];
        for (int i = 0; i < features.Count; i++)
        {
            basis.Evaluate(features[i], row);
            for (int j = 0; j < row.Length; j++) design[i, j] = row[j];
        }
        return new PolynomialRegression(basis, LeastSquares.Solve(design, labels.ToArray()));
    }

    /// <summary>The fitted label at <paramref name="features"/>.</summary>
    public double Predict(ReadOnlySpan<double> features)
    {
        Span<double> values = _coefficients.Length <= 256 ? stackalloc double[_coefficients.Length] : new double[_coefficients.Length];
        _basis.Evaluate(features, values);
        double sum = 0;
        for (int j = 0; j < values.Length; j++) sum += _coefficients[j] * values[j];
        return sum;
    }

    /// <summary>The fitted label of a one-feature model at <paramref name="x"/>.</summary>
    public double Predict(double x) => Predict([x]);
}
