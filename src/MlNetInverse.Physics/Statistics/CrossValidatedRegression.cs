using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Randomness;

namespace MlNetInverse.Physics.Statistics;

/// <summary>
/// The best smooth function of a few features, chosen honestly: polynomial fits of degree 0..maxDegree, each scored
/// by k-fold cross-validated R^2 (folds from a seeded shuffle), the best degree refitted on all rows.
/// </summary>
public static class CrossValidatedRegression
{
    /// <summary>Default number of folds: 5.</summary>
    public const int DefaultFolds = 5;

    /// <summary>Fits <paramref name="labels"/> on <paramref name="features"/>; see the type's summary.</summary>
    /// <param name="features">One row of features per sample.</param>
    /// <param name="labels">One label per sample.</param>
    /// <param name="maxDegree">Largest total degree tried (&gt;= 0); degrees whose basis has more coefficients than a training fold has rows are skipped.</param>
    /// <param name="folds">Folds (2 or more, at most the row count). Default 5.</param>
    /// <param name="seed">Seed of the fold assignment. Default 0.</param>
    /// <exception cref="ArgumentException">Fewer than two rows, bad folds, or inputs <see cref="PolynomialRegression.Fit"/> refuses.</exception>
    public static CrossValidatedFit Fit(IReadOnlyList<double[]> features, IReadOnlyList<double> labels, int maxDegree, int folds = DefaultFolds, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDegree);
        int n = features.Count;
        if (n != labels.Count) throw new ArgumentException($"{n} feature rows but {labels.Count} labels.", nameof(labels));
        if (n < 2) throw new ArgumentException($"Cross-validation needs at least 2 rows; got {n}.", nameof(features));
        for (int i = 0; i < n; i++)
            if (!double.IsFinite(labels[i])) throw new ArgumentException($"Label {i} is {labels[i]}; labels must be finite.", nameof(labels));
        if (folds < 2 || folds > n) throw new ArgumentException($"Folds must lie in [2, {n}] for {n} rows; got {folds}.", nameof(folds));

        var box = FeatureBox.Around(features);
        var fold = FoldOf(n, folds, seed);
        double mean = labels.Average();
        double total = labels.Sum(y => (y - mean) * (y - mean));
        var r2 = new List<double>();
        int smallestTrainingFold = Enumerable.Range(0, folds).Min(f => n - fold.Count(x => x == f));
        for (int degree = 0; degree <= maxDegree; degree++)
        {
            if (new LegendreFeatures(box, degree).Count > smallestTrainingFold) break;
            double residual = 0;
            for (int f = 0; f < folds; f++)
            {
                var trainRows = Enumerable.Range(0, n).Where(i => fold[i] != f).ToArray();
                // The box of all rows, so every fold's basis is the same and test rows never fall outside it.
                var model = PolynomialRegression.Fit(trainRows.Select(i => features[i]).ToArray(), trainRows.Select(i => labels[i]).ToArray(), degree, box);
                for (int i = 0; i < n; i++)
                    if (fold[i] == f)
                    {
                        double e = labels[i] - model.Predict(features[i]);
                        residual += e * e;
                    }
            }
            r2.Add(total > 0 ? 1 - residual / total : 0);
        }
        int best = r2.IndexOf(r2.Max());
        return new CrossValidatedFit(PolynomialRegression.Fit(features, labels, best, box), best, r2[best], r2);
    }

    /// <summary>Fold of each row: a seeded shuffle of 0..n-1 dealt round-robin, so folds differ in size by at most one.</summary>
    private static int[] FoldOf(int n, int folds, long seed)
    {
        ulong key = SplitMix64.Mix((ulong)seed);
        var order = Enumerable.Range(0, n).OrderBy(i => SplitMix64.Next(key, i + 1)).ThenBy(i => i).ToArray();
        var fold = new int[n];
        for (int k = 0; k < n; k++) fold[order[k]] = k % folds;
        return fold;
    }
}
