using System.Text.Json.Nodes;

namespace MlNetInverse.Cli.Evaluation;

/// <summary>
/// The bar a method must clear on the shipped data: RCWA-judged mean REP at most <see cref="MaxMeanRep"/> % and min REP
/// at most <see cref="MaxMinRep"/> % at every target, and diversity within <see cref="DiversityTolerance"/> of the
/// training maps' at the same absorption. When a criterion is missed, <see cref="Limits"/> puts numbers on what limits it.
/// </summary>
internal static class EvaluationBar
{
    /// <summary>Largest mean REP allowed at any target (percent).</summary>
    public const double MaxMeanRep = 3.0;

    /// <summary>Largest min REP allowed at any target (percent).</summary>
    public const double MaxMinRep = 0.1;

    /// <summary>Largest relative difference of diversity from the training maps' (fraction).</summary>
    public const double DiversityTolerance = 0.2;

    /// <summary>Per criterion: met, and the targets that miss it.</summary>
    public static (string Criterion, bool Met, string Detail)[] Check(EvaluationReport report, string method)
    {
        var cells = report.Of(method);
        var meanMisses = cells.Where(c => !(c.Rcwa.Mean <= MaxMeanRep)).Select(c => ReportNumbers.Text($"{c.Target:0.00} ({c.Rcwa.Mean:F2} %)")).ToArray();
        var minMisses = cells.Where(c => !(c.Rcwa.Min <= MaxMinRep)).Select(c => ReportNumbers.Text($"{c.Target:0.00} ({c.Rcwa.Min:F2} %)")).ToArray();
        var diversityMisses = cells.Where(c => !(Math.Abs(report.Metrics[c].DiversityRatio - 1) <= DiversityTolerance))
            .Select(c => ReportNumbers.Text($"{c.Target:0.00} (ratio {report.Metrics[c].DiversityRatio:F2})")).ToArray();
        return
        [
            (ReportNumbers.Text($"mean REP <= {MaxMeanRep:0.#} % at every target"), meanMisses.Length == 0, Detail(meanMisses)),
            (ReportNumbers.Text($"min REP <= {MaxMinRep:0.0#} % at every target"), minMisses.Length == 0, Detail(minMisses)),
            (ReportNumbers.Text($"diversity within {100 * DiversityTolerance:0} % of the training maps' at the same absorption (+-{TrainingReference.Window})"), diversityMisses.Length == 0, Detail(diversityMisses)),
        ];
    }

    /// <summary>As JSON: each criterion with met and detail.</summary>
    public static JsonArray ToJson(EvaluationReport report, string method) =>
        new(Check(report, method).Select(c => (JsonNode?)new JsonObject { ["criterion"] = c.Criterion, ["met"] = c.Met, ["missed_at"] = c.Detail }).ToArray());

    /// <summary>
    /// Markdown rows (one per target) separating what limits the REP of <paramref name="method"/>: the surrogate's own
    /// view of the designs (generation and screen, judged by the judge they were chosen with), the surrogate's error on
    /// these very designs against RCWA (bias and mean absolute error, as REP points), and the designs' diversity.
    /// </summary>
    public static IEnumerable<string> Limits(EvaluationReport report, string method)
    {
        yield return "| Target | RCWA mean REP | Surrogate mean REP (what generation + screen achieve by their own judge) | Surrogate - RCWA bias (REP points) | Surrogate MAE vs RCWA (REP points) | Designs within 0.1 % by RCWA | Distinct designs | Diversity ratio | VF std (training) |";
        yield return "|---|---|---|---|---|---|---|---|---|";
        foreach (var c in report.Of(method))
        {
            var m = report.Metrics[c];
            var diff = c.SurrogateAbsorption.Zip(c.RcwaAbsorption, (s, r) => (s - r) / c.Target * 100).ToArray();
            var reference = report.References[c.Target].Morphology;
            yield return $"| {ReportNumbers.Target(c.Target)} | {ReportNumbers.Percent(c.Rcwa.Mean)} | {ReportNumbers.Percent(c.Surrogate.Mean)} | " +
                $"{ReportNumbers.Fixed(diff.Average(), 2)} | {ReportNumbers.Fixed(diff.Average(Math.Abs), 2)} | {c.RcwaReps.Count(r => r <= MaxMinRep)} of {c.Maps.Count} | " +
                $"{m.Distinct} of {c.Maps.Count} | {ReportNumbers.Fixed(m.DiversityRatio, 2)} | {ReportNumbers.Fixed(m.Morphology.VolumeFractionStd, 3)} ({ReportNumbers.Fixed(reference?.VolumeFractionStd ?? double.NaN, 3)}) |";
        }
    }

    private static string Detail(string[] misses) => misses.Length == 0 ? "" : string.Join(", ", misses);
}
