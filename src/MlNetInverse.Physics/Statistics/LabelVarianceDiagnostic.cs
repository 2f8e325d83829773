using MlNetInverse.Physics.Datasets;

namespace MlNetInverse.Physics.Statistics;

/// <summary>
/// How much of a dataset's absorption label is explained by volume fraction alone, and by the three GRF parameters:
/// the test of whether a dataset is a morphology benchmark at all. When VF alone explains nearly all of the label, a
/// learning-free control that only picks the VF scores as well as any model (design.md: "let the benchmark go easy").
/// </summary>
/// <param name="Rows">Rows analysed.</param>
/// <param name="LabelStd">Standard deviation of the label.</param>
/// <param name="VolumeFraction">Best cross-validated polynomial of the label in the maps' measured volume fraction.</param>
/// <param name="GrfParameters">Best cross-validated polynomial in (volume fraction, ring mean wavenumber, ring width).</param>
/// <param name="Bins">The label's spread inside narrow VF bins (width <see cref="BinWidth"/>): what VF leaves unexplained, locally.</param>
public sealed record LabelVarianceDiagnostic(int Rows, double LabelStd, CrossValidatedFit VolumeFraction, CrossValidatedFit GrfParameters, IReadOnlyList<VolumeFractionBin> Bins)
{
    /// <summary>Largest degree tried for the one-feature VF fit: 10.</summary>
    public const int VolumeFractionMaxDegree = 10;

    /// <summary>Largest total degree tried for the three-parameter fit: 5 (56 coefficients).</summary>
    public const int GrfParametersMaxDegree = 5;

    /// <summary>Width of the VF bins (volume fraction): 0.02.</summary>
    public const double BinWidth = 0.02;

    /// <summary>Share of the label variance VF alone explains (out-of-fold R^2).</summary>
    public double VolumeFractionShare => VolumeFraction.CrossValidatedR2;

    /// <summary>Share explained by the three GRF parameters together (out-of-fold R^2).</summary>
    public double GrfParametersShare => GrfParameters.CrossValidatedR2;

    /// <summary>Analyses <paramref name="records"/> (at least 10 rows) with fold seed <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than 10 rows: too few to cross-validate.</exception>
    public static LabelVarianceDiagnostic Of(IReadOnlyList<MicrostructureRecord> records, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count < 10) throw new ArgumentException($"The variance diagnostic needs at least 10 rows; the dataset has {records.Count}.", nameof(records));
        var labels = records.Select(r => r.Absorption).ToArray();
        var vf = records.Select(r => new[] { r.Map.VolumeFraction }).ToArray();
        var grf = records.Select(r => new[] { r.Map.VolumeFraction, r.Parameters.MeanWavenumber, r.Parameters.StdWavenumber }).ToArray();
        return new LabelVarianceDiagnostic(records.Count, StandardDeviation(labels),
            CrossValidatedRegression.Fit(vf, labels, VolumeFractionMaxDegree, seed: seed),
            CrossValidatedRegression.Fit(grf, labels, GrfParametersMaxDegree, seed: seed),
            VolumeFractionBin.Of(vf.Select(v => v[0]).ToArray(), labels, BinWidth));
    }

    /// <summary>Population standard deviation (0 for fewer than two values).</summary>
    internal static double StandardDeviation(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }
}
