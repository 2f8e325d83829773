using System.Text.Json.Nodes;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The bar for the model's own rows (paper, proposed, proposed+rank), judged per target: RCWA-judged mean REP at most
/// <see cref="MaxMeanRep"/> % and skill at least <see cref="MinSkill"/>, i.e. a mean REP at most half of the
/// learning-free vf-control's at the same target (without vf-control the bar cannot be judged). A low REP alone is no
/// bar: on data where volume fraction fixes the absorption a control without learning reaches it too. When a target
/// misses, <see cref="Limits"/> puts numbers on what limits it.
/// </summary>
internal static class EvaluationBar
{
    /// <summary>Largest mean REP allowed at a target (percent).</summary>
    public const double MaxMeanRep = 3.0;

    /// <summary>Smallest skill (vf-control mean REP / method mean REP) allowed at a target.</summary>
    public const double MinSkill = 2.0;

    /// <summary>REP (percent) within which the "what limits it" table counts a design as close.</summary>
    public const double CloseRep = 1.0;

    /// <summary>The bar at every target of <paramref name="method"/>, in target order.</summary>
    public static IReadOnlyList<BarTarget> Check(EvaluationReport report, string method) => report.Of(method)
        .Select(c => new BarTarget(c.Target, c.Rcwa.Mean, report.ControlMean(EvaluationMethods.VfControl, c.Target), report.Skill(c, EvaluationMethods.VfControl),
            report.Metrics[c].DiversityRatio))
        .ToArray();

    /// <summary>The criterion in words.</summary>
    public static string Criterion => Text($"mean REP <= {MaxMeanRep:0.#} % and skill >= {MinSkill:0.#} (mean REP at most 1/{MinSkill:0.#} of vf-control's) at the target");

    /// <summary>One line per target, e.g. "0.55: MET (mean 1.40 % &lt;= 3 %, skill 2.06 &gt;= 2)".</summary>
    public static IEnumerable<string> Lines(EvaluationReport report, string method) => Check(report, method).Select(b => Text(
        $"{ReportNumbers.Target(b.Target)}: {b.Verdict} (mean {ReportNumbers.Fixed(b.MeanRep, 2)} % {(b.MeanMet ? "<=" : ">")} {MaxMeanRep:0.#} %, {(b.SkillMet is null ? "skill not judged: vf-control not evaluated" : $"skill {ReportNumbers.Skill(b.Skill)} {(b.SkillMet == true ? ">=" : "<")} {MinSkill:0.#}")})"));

    /// <summary>As JSON: the criterion and every target.</summary>
    public static JsonObject ToJson(EvaluationReport report, string method)
    {
        var targets = Check(report, method);
        return new JsonObject
        {
            ["criterion"] = Criterion,
            ["met_at"] = targets.Count(t => t.Met),
            ["targets"] = new JsonArray(targets.Select(t => (JsonNode?)t.ToJson()).ToArray()),
        };
    }

    /// <summary>
    /// Markdown rows (one per target) separating what limits the REP of <paramref name="method"/>: the surrogate's own
    /// view of the designs (generation and screen, judged by the judge they were chosen with), the surrogate's error on
    /// these very designs against RCWA (bias and mean absolute error, as REP points), and the designs' diversity.
    /// </summary>
    public static IEnumerable<string> Limits(EvaluationReport report, string method)
    {
        yield return Text($"| Target | RCWA mean REP | vf-control mean REP | Surrogate mean REP (what generation + screen achieve by their own judge) | Surrogate - RCWA bias (REP points) | Surrogate MAE vs RCWA (REP points) | Designs within {CloseRep:0.#} % by RCWA | Distinct designs | Diversity ratio | VF std (training) |");
        yield return "|---|---|---|---|---|---|---|---|---|---|";
        foreach (var c in report.Of(method))
        {
            var m = report.Metrics[c];
            var diff = c.SurrogateAbsorption.Zip(c.RcwaAbsorption, (s, r) => (s - r) / c.Target * 100).ToArray();
            var reference = report.References[c.Target].Morphology;
            yield return $"| {ReportNumbers.Target(c.Target)} | {ReportNumbers.Percent(c.Rcwa.Mean)} | {ReportNumbers.Percent(report.ControlMean(EvaluationMethods.VfControl, c.Target))} | {ReportNumbers.Percent(c.Surrogate.Mean)} | " +
                $"{ReportNumbers.Fixed(diff.Average(), 2)} | {ReportNumbers.Fixed(diff.Average(Math.Abs), 2)} | {c.RcwaReps.Count(r => r <= CloseRep)} of {c.Maps.Count} | " +
                $"{m.Distinct} of {c.Maps.Count} | {ReportNumbers.Fixed(m.DiversityRatio, 2)} | {ReportNumbers.Fixed(m.Morphology.VolumeFractionStd, 3)} ({ReportNumbers.Fixed(reference?.VolumeFractionStd ?? double.NaN, 3)}) |";
        }
    }
}
