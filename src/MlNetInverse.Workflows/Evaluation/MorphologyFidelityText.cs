using MlNetInverse.Physics.Morphology;
using static MlNetInverse.Physics.Formatting.InvariantText;
using static MlNetInverse.Workflows.Evaluation.ReportNumbers;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The morphology fidelity table as text cells, shared by report.md (evaluate) and the <c>train --pipeline</c> summary:
/// per set of designs, the distance of each statistic to the training maps at the same absorption next to the data's
/// own spread, the designs' values next to the data's, and the verdict against <see cref="MorphologyBar"/>.
/// </summary>
internal static class MorphologyFidelityText
{
    /// <summary>Column headers after the leading "who" and "Target" columns.</summary>
    public static readonly string[] Columns =
    [
        "Designs / data maps", "S2 L2 / spread", "Spectrum L2 / spread", "SDF peak (data)", "Isolated % (data)",
        "Components A (data)", "Components B (data)", "Seam ratio (data)", "Verdict",
        "Data's own sets meeting the bar",
    ];

    /// <summary>
    /// The cells of one comparison in <see cref="Columns"/> order; a missed check is passed through
    /// <paramref name="missed"/> (e.g. bold in markdown). <paramref name="compact"/> gives distances as their ratio to
    /// the spread only, for a console.
    /// </summary>
    public static string[] Cells(MorphologyComparison comparison, Func<string, string> missed, bool compact = false)
    {
        var checks = comparison.Checks.ToDictionary(c => c.Statistic);
        string Mark(MorphologyStatistic statistic, string text) => checks[statistic].Met == false ? missed(text) : text;
        string Distance(MorphologyStatistic statistic)
        {
            var c = checks[statistic];
            if (compact) return Mark(statistic, c.Spread > 0 && double.IsFinite(c.Distance) ? Text($"{c.Distance / c.Spread:0.0}x") : Text($"{Fixed(c.Distance, 4)} / {Fixed(c.Spread, 4)}"));
            return Mark(statistic, Text($"{Fixed(c.Distance, 4)} / {Fixed(c.Spread, 4)}{Ratio(c.Distance, c.Spread)}"));
        }
        string Versus(MorphologyStatistic statistic, Func<double, string> format) =>
            Mark(statistic, $"{format(checks[statistic].Generated)} ({format(checks[statistic].Data)})");
        return
        [
            Text($"{comparison.Generated.Count} / {comparison.Yardstick.Count}"),
            Distance(MorphologyStatistic.TwoPointCorrelation),
            Distance(MorphologyStatistic.Spectrum),
            Versus(MorphologyStatistic.SpectrumPeak, v => Fixed(v, 0)),
            Versus(MorphologyStatistic.IsolatedPixels, v => Fixed(100 * v, compact ? 3 : 4)),
            Versus(MorphologyStatistic.ComponentsMaterialA, v => Fixed(v, 2)),
            Versus(MorphologyStatistic.ComponentsMaterialB, v => Fixed(v, 2)),
            Versus(MorphologyStatistic.PeriodicSeam, v => Fixed(v, 2)),
            Verdict(comparison),
            DataControl(comparison.DataControl, compact),
        ];
    }

    /// <summary>
    /// "18 of 20 sets of 30" with the statistics the data missed ("18/20" when <paramref name="compact"/>), or "-" when
    /// the window is too small to draw them.
    /// </summary>
    public static string DataControl(MorphologyDataControl? control, bool compact = false)
    {
        if (control is null) return "-";
        if (compact) return Text($"{control.Met}/{control.Sets}");
        return Text($"{control.Met} of {control.Sets} sets of {control.SetSize}") + Misses(control.Misses);
    }

    /// <summary>" (missed: S2 1, seam 2)" for counts of missed statistics, or "" when none was missed.</summary>
    public static string Misses(IReadOnlyDictionary<MorphologyStatistic, int> misses) =>
        misses.Count == 0 ? "" : " (missed: " + string.Join(", ", misses.Select(p => Text($"{Name(p.Key)} {p.Value}"))) + ")";

    /// <summary>"MET", "MISSED: S2, seam", or "open: ..." when too few data maps lie in the window.</summary>
    public static string Verdict(MorphologyComparison comparison)
    {
        var missed = comparison.Missed.Select(Name).ToArray();
        if (missed.Length > 0) return "MISSED: " + string.Join(", ", missed);
        if (!comparison.Assessable) return Text($"open: {comparison.Yardstick.Count} data map(s) in the window, 2 needed");
        return "MET";
    }

    /// <summary>A short name of a statistic for verdicts.</summary>
    public static string Name(MorphologyStatistic statistic) => statistic switch
    {
        MorphologyStatistic.TwoPointCorrelation => "S2",
        MorphologyStatistic.Spectrum => "spectrum",
        MorphologyStatistic.SpectrumPeak => "SDF peak",
        MorphologyStatistic.IsolatedPixels => "isolated pixels",
        MorphologyStatistic.ComponentsMaterialA => "components A",
        MorphologyStatistic.ComponentsMaterialB => "components B",
        _ => "seam",
    };

    /// <summary>The bar in one sentence.</summary>
    public static string Bar(MorphologyBar bar) => Text(
        $"S2, spectrum and components per phase within {bar.SpreadFactor:0.##}x the data's spread (counts: at least one event in one design), the SDF peak within that or {bar.PeakToleranceBins:0.##} bin, no more isolated pixels than the data beyond {bar.SpreadFactor:0.##}x its spread (at least one pixel in the set), seam ratio (cell-edge over interior neighbour disagreement) at most {bar.MaxSeamRatio:0.##}");

    private static string Ratio(double distance, double spread) =>
        double.IsFinite(distance) && spread > 0 ? Text($" ({distance / spread:0.0}x)") : "";
}
