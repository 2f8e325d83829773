namespace MlNetInverse.Physics.Statistics;

/// <summary>The labels of the rows whose volume fraction falls in [<see cref="From"/>, <see cref="To"/>).</summary>
/// <param name="From">Lower edge (volume fraction).</param>
/// <param name="To">Upper edge (volume fraction).</param>
/// <param name="Count">Rows in the bin.</param>
/// <param name="MeanLabel">Mean label.</param>
/// <param name="LabelStd">Standard deviation of the label in the bin: the spread VF cannot explain there.</param>
public sealed record VolumeFractionBin(double From, double To, int Count, double MeanLabel, double LabelStd)
{
    /// <summary>Bins of width <paramref name="width"/> from 0 up; only bins with at least 5 rows are returned.</summary>
    public static IReadOnlyList<VolumeFractionBin> Of(IReadOnlyList<double> volumeFractions, IReadOnlyList<double> labels, double width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        return volumeFractions.Select((v, i) => (Bin: (int)Math.Floor(v / width + 1e-9), Label: labels[i]))
            .GroupBy(x => x.Bin).Where(g => g.Count() >= 5).OrderBy(g => g.Key)
            .Select(g =>
            {
                var values = g.Select(x => x.Label).ToArray();
                return new VolumeFractionBin(g.Key * width, (g.Key + 1) * width, values.Length, values.Average(), LabelVarianceDiagnostic.StandardDeviation(values));
            }).ToArray();
    }
}
