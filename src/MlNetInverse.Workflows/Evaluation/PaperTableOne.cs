using MlNetInverse.Baselines;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>The published numbers of the paper's Table I (Kilic et al.), REP % at targets 0.55, 0.60, 0.65, 0.70, 0.75.</summary>
internal static class PaperTableOne
{
    private static readonly double[] Targets = [0.55, 0.60, 0.65, 0.70, 0.75];

    private static readonly Dictionary<string, (double[] Min, double[] Mean, double[] Std)> Rows = new()
    {
        // The paper's own method: the reproduction row (plain sampling), not the zip as shipped.
        [EvaluationMethods.Paper] = ([0.07, 0.36, 0.10, 0.03, 0.32], [6.17, 8.40, 8.21, 5.45, 6.84], [4.30, 6.04, 5.11, 4.03, 3.30]),
        [BaselineNames.GanMdn] = ([1.25, 0.70, 0.18, 0.10, 0.43], [16.19, 10.99, 7.65, 5.00, 6.18], [8.96, 7.93, 5.64, 4.61, 3.51]),
        [BaselineNames.PcaMdn] = ([4.96, 0.07, 3.71, 0.10, 3.17], [11.74, 2.69, 8.79, 3.41, 6.27], [3.05, 2.18, 2.59, 2.44, 1.52]),
        [BaselineNames.MdnInverse] = ([2.85, 7.87, 11.00, 3.03, 8.44], [12.78, 14.95, 17.33, 15.62, 12.73], [3.89, 3.56, 2.63, 4.09, 3.20]),
        [BaselineNames.Optimization] = ([15.51, double.NaN, 1.21, double.NaN, double.NaN], [double.NaN, double.NaN, double.NaN, double.NaN, double.NaN],
            [double.NaN, double.NaN, double.NaN, double.NaN, double.NaN]),
    };

    /// <summary>The paper's (min, mean, std) REP % for a method and target; NaN where it reports none (or never ran it).</summary>
    public static (double Min, double Mean, double Std) At(string method, double target)
    {
        int t = Array.FindIndex(Targets, x => Math.Abs(x - target) < 1e-9);
        if (t < 0 || !Rows.TryGetValue(method, out var row)) return (double.NaN, double.NaN, double.NaN);
        return (row.Min[t], row.Mean[t], row.Std[t]);
    }
}
