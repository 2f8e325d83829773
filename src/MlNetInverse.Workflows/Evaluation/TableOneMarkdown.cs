using System.Text;
using MlNetInverse.Workflows.Verification;
using static MlNetInverse.Physics.Formatting.InvariantText;
using static MlNetInverse.Workflows.Evaluation.ReportNumbers;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The REP sections of report.md: Table I (seeds pooled; min / mean with its bootstrap interval / std, skill against
/// the learning-free controls, the surrogate's numbers beside it), the comparison with the published means, and the
/// judge check with the REP floor it implies. Min and mean values below the floor are marked with a dagger.
/// </summary>
internal static class TableOneMarkdown
{
    /// <summary>The columns of the Table I section, in order.</summary>
    public static readonly string[] Columns =
    [
        "Method", "Target", "Min", "Average", "Average, 95 % CI", "Standard Deviation", "Skill vs vf-control", "Skill vs vf-control+screen",
        "Surrogate min", "Surrogate average", "Surrogate std", "Simulations by the method",
    ];

    /// <summary>The mark of a value below the REP floor.</summary>
    public const string BelowFloor = "\u2020";

    public static void Append(StringBuilder md, EvaluationReport report)
    {
        var setup = report.Setup;
        var floor = report.Floor;
        md.AppendLine("## Table I: REP judged by RCWA, surrogate beside it").AppendLine();
        md.AppendLine(Text($"Each cell pools {setup.Samples} designs of each of {setup.Seeds.Count} seed(s) ({string.Join(", ", setup.Seeds)}). The 95 % interval of the average is a percentile bootstrap (2,000 resamples, fixed seed). Skill = the control's average REP / the method's at the same target (2 = half the control's error; `-` when the control was not evaluated or the row is not screened)."));
        md.AppendLine();
        md.AppendLine(Row(Columns)).AppendLine(Row(Columns.Select(_ => "---")));
        foreach (var c in report.Cells)
        {
            md.AppendLine(Row([setup.Title(c.Method), Target(c.Target), Marked(c.Rcwa.Min, floor), Marked(c.Rcwa.Mean, floor), Interval(c.RcwaMeanInterval),
                Percent(c.Rcwa.StandardDeviation), Skill(report.Skill(c, EvaluationMethods.VfControl)),
                report.IsScreened(c.Method) ? Skill(report.Skill(c, EvaluationMethods.VfControlScreened)) : "-",
                Percent(c.Surrogate.Min), Percent(c.Surrogate.Mean), Percent(c.Surrogate.StandardDeviation), Text($"{c.MethodSimulations}")]));
        }
        md.AppendLine();
        if (floor is not null)
            md.AppendLine(Text($"{BelowFloor} Below the REP floor of {floor.Value:F2} % that the judge check implies (see below): within solver uncertainty, not a measure of accuracy.")).AppendLine();

        md.AppendLine("## Against the paper: mean REP %, ours (paper)").AppendLine();
        md.AppendLine(Row(["Method", .. setup.Targets.Select(Target)])).AppendLine(Row(["---", .. setup.Targets.Select(_ => "---")]));
        foreach (var method in report.Methods)
            md.AppendLine(Row([method, .. report.Of(method).Select(c => Text($"{Fixed(c.Rcwa.Mean, 2)} ({Fixed(PaperTableOne.At(method, c.Target).Mean, 2)})"))]));
        md.AppendLine();
        md.AppendLine("The published numbers belong to the paper's method as published, so they stand beside the `paper` row (the same zip sampled as the paper does), not beside `proposed`, which adds the zip's calibration and screen.").AppendLine();
        if (report.Methods.Contains(Baselines.BaselineNames.Optimization))
            md.AppendLine("The paper reports only the min REP of the optimisation (15.51 % at 0.55, 1.21 % at 0.65): its min here is the search's best of all its simulations; mean and std are over its best distinct designs.").AppendLine();

        AppendJudgeCheck(md, report);
    }

    private static void AppendJudgeCheck(StringBuilder md, EvaluationReport report)
    {
        var setup = report.Setup;
        md.AppendLine("## Solver uncertainty: the judge check").AppendLine();
        var floor = report.Floor;
        if (floor is null)
        {
            md.AppendLine("Not run (`--judge-check 0`): no REP in this report is compared with the solver's own truncation error. Run with `--judge-check N` to re-simulate N designs per cell at the settings next to the judge's.").AppendLine();
            return;
        }
        var labels = floor.Settings.Select(s => s.Label).ToArray();
        md.AppendLine(Text($"The first {setup.JudgeCheck} design(s) of every cell and seed re-simulated at the next two harmonic sets above the judge's ({setup.Stack.Solver.Factorization}, nG {setup.Stack.Solver.Harmonics}) and with the other factorisation at the judge's nG. |delta REP| = |REP under the setting - REP under the judge|, in REP points (percent of the target): mean / max per cell."));
        md.AppendLine();
        string[] columns = ["Method", "Target", "Designs checked", .. labels];
        md.AppendLine(Row(columns)).AppendLine(Row(columns.Select(_ => "---")));
        foreach (var c in report.Cells.Where(c => c.Check is { Designs: > 0 }))
        {
            var shifts = c.Check!.Shifts(c.Target, c.RcwaAbsorption);
            md.AppendLine(Row([c.Method, Target(c.Target), Text($"{c.Check.Designs}"), .. shifts.Select(s => $"{Fixed(s.Average(), 3)} / {Fixed(s.Max(), 3)}")]));
        }
        md.AppendLine(Row(["all cells", "", Text($"{floor.Settings[0].Designs}"), .. floor.Settings.Select(s => $"{Fixed(s.Mean, 3)} / {Fixed(s.Max, 3)}")]));
        md.AppendLine();
        md.AppendLine(Text($"**REP floor: {floor.Value:F2} %** (the mean |delta REP| of {floor.Setting} over every checked design, the largest of the settings' means). Each of these settings is as defensible a judge as the judge itself, so a typical REP moves by this much with a choice of solver setting nobody could call wrong; the largest mean, rather than the largest single shift, is used because one hard design sets the maximum. Min and mean REPs below the floor are marked {BelowFloor} in Table I: they are within solver uncertainty, not accuracy."));
        md.AppendLine();
    }

    private static string Marked(double rep, RepFloor? floor) => floor is not null && floor.Covers(rep) ? Percent(rep) + BelowFloor : Percent(rep);

    private static string Row(IEnumerable<string> cells) => "| " + string.Join(" | ", cells) + " |";
}
