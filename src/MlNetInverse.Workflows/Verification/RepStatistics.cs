using System.Text.Json.Nodes;

namespace MlNetInverse.Workflows.Verification;

/// <summary>
/// The paper's Table I columns for one target: min, mean and standard deviation (n - 1 in the denominator) of the
/// relative error percentage REP = |target - absorption| / target * 100 over the generated designs.
/// </summary>
public sealed record RepStatistics(int Count, double Min, double Mean, double StandardDeviation)
{
    /// <summary>REP (%) of one design.</summary>
    public static double Rep(double target, double absorption) => Math.Abs(target - absorption) / target * 100;

    /// <summary>Statistics of <paramref name="reps"/> (at least one value).</summary>
    public static RepStatistics Of(IReadOnlyList<double> reps)
    {
        if (reps.Count == 0) throw new ArgumentException("REP statistics need at least one design.", nameof(reps));
        double mean = reps.Average();
        double variance = reps.Count > 1 ? reps.Sum(r => (r - mean) * (r - mean)) / (reps.Count - 1) : 0;
        return new RepStatistics(reps.Count, reps.Min(), mean, Math.Sqrt(variance));
    }

    /// <summary>Statistics of the REP of every absorption in <paramref name="absorption"/> against <paramref name="target"/>.</summary>
    public static RepStatistics Of(double target, IEnumerable<double> absorption) => Of(absorption.Select(a => Rep(target, a)).ToArray());

    /// <summary>As JSON: count, min_rep, mean_rep, std_rep (percent, 4 decimals).</summary>
    public JsonObject ToJson() => new()
    {
        ["count"] = Count,
        ["min_rep"] = Math.Round(Min, 4),
        ["mean_rep"] = Math.Round(Mean, 4),
        ["std_rep"] = Math.Round(StandardDeviation, 4),
    };
}
