using System.Text;
using System.Text.Json.Nodes;
using MlNetInverse.Physics.Morphology;
using static MlNetInverse.Physics.Formatting.InvariantText;
using static MlNetInverse.Workflows.Evaluation.ReportNumbers;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The "Morphology fidelity" section of report.md and report.json: every cell's designs against the training maps
/// labelled within <see cref="TrainingReference.Window"/> of its target (<see cref="MorphologyComparison"/>), the
/// held-out maps in the same window as the control (fresh samples of the data generator), and the yardstick per target.
/// </summary>
internal sealed class MorphologyFidelitySection
{
    /// <summary>The yardstick's window (the report's absorption window), seed 0 and 16 halvings.</summary>
    public static MorphologyYardstickOptions Options { get; } = new() { Window = TrainingReference.Window };

    private MorphologyFidelitySection(IReadOnlyDictionary<double, MorphologyYardstick> yardsticks,
        IReadOnlyList<(string Method, double Target, MorphologyComparison Comparison)> cells, IReadOnlyDictionary<double, MorphologyComparison?> controls)
    {
        Yardsticks = yardsticks;
        Cells = cells;
        Controls = controls;
    }

    /// <summary>The training data and its spread per target.</summary>
    public IReadOnlyDictionary<double, MorphologyYardstick> Yardsticks { get; }

    /// <summary>Every (method, target) cell's comparison, in report order.</summary>
    public IReadOnlyList<(string Method, double Target, MorphologyComparison Comparison)> Cells { get; }

    /// <summary>The held-out maps in each target's window against the same yardstick; null when the window holds none.</summary>
    public IReadOnlyDictionary<double, MorphologyComparison?> Controls { get; }

    /// <summary>Measures every cell of <paramref name="report"/> against the training data at its target.</summary>
    public static MorphologyFidelitySection Of(EvaluationReport report)
    {
        var reference = report.Setup.Reference;
        var yardsticks = report.Setup.Targets.ToDictionary(t => t, t => MorphologyYardstick.AtTarget(reference.TrainingRecords, t, Options));
        var cells = report.Cells.Select(c => (c.Method, c.Target, MorphologyComparison.Of(c.Maps, yardsticks[c.Target]))).ToArray();
        var controls = yardsticks.ToDictionary(p => p.Key, p =>
        {
            var heldOut = reference.HeldOutRecords.Where(r => Math.Abs(r.Absorption - p.Key) <= Options.Window).Select(r => r.Map).ToArray();
            return heldOut.Length == 0 ? null : MorphologyComparison.Of(heldOut, p.Value);
        });
        return new MorphologyFidelitySection(yardsticks, cells, controls);
    }

    /// <summary>One console line per method: MET, or the targets and statistics that missed.</summary>
    public IEnumerable<string> Summary() => Cells.GroupBy(c => c.Method).Select(g =>
    {
        var misses = g.Where(c => !c.Comparison.Met).Select(c => c.Comparison.Missed.Any()
            ? $"{Target(c.Target)} ({string.Join(", ", c.Comparison.Missed.Select(MorphologyFidelityText.Name))}{DataControlNote(c.Comparison.DataControl)})"
            : Text($"{Target(c.Target)} (open: {c.Comparison.Yardstick.Count} data map(s) in the window)")).ToArray();
        return $"morphology ({g.Key}): {(misses.Length == 0 ? "MET at every target" : "MISSED at " + string.Join("; ", misses))}";
    });

    // Beside a miss, how often the data itself meets the bar at the same size.
    private static string DataControlNote(MorphologyDataControl? control) =>
        control is null ? "" : Text($"; the data's own sets of {control.SetSize} meet it {control.Met} of {control.Sets} times");

    /// <summary>Appends the section to report.md.</summary>
    public void AppendMarkdown(StringBuilder md)
    {
        var bar = MorphologyBar.Default;
        md.AppendLine("## Morphology fidelity: designs against the training maps at the same absorption").AppendLine();
        md.AppendLine(Text($"The data at a target: the training maps labelled within +-{Options.Window} of it. S2: radially averaged two-point correlation of material A, r = 0 .. N/2 px; spectrum: radial spectral density; both compared as the L2 distance between mean curves. Spread: the largest distance between two random halves of the data over {Options.Splits} seeded halvings (seed {Options.Seed}), scaled to G designs against D data maps by sqrt((1/G + 1/D) / (1/H1 + 1/H2)): what G fresh data maps would show. Isolated: % of pixels whose four periodic neighbours all differ. Components: periodic 4-connected components per map of material A and B. Seam ratio: neighbour disagreement across the cell edge (row N-1 | 0, column N-1 | 0) over that across interior lines (periodic cell: about 1). Cells give the designs' value with the data's in brackets; distances as distance / spread (ratio)."));
        md.AppendLine().AppendLine($"Bar: {MorphologyFidelityText.Bar(bar)}. Missed checks are in bold. The held-out rows (never trained on) are fresh maps of the data generator: the control that shows what meeting the bar looks like. The last column applies the bar to the data itself: {MorphologyDataControl.DefaultSets} random sets of as many training maps of the window as the row holds, each against the yardstick of the other maps, and counts the sets that meet it (the bar's false-alarm rate at that size; '-' when the window holds fewer than twice that many maps).").AppendLine();
        string[] columns = ["Method", "Target", .. MorphologyFidelityText.Columns];
        md.AppendLine(Row(columns)).AppendLine(Row(columns.Select(_ => "---")));
        foreach (var (method, target, comparison) in Cells)
            md.AppendLine(Row([method, Target(target), .. MorphologyFidelityText.Cells(comparison, s => $"**{s}**")]));
        foreach (var (target, control) in Controls)
            if (control is not null)
                md.AppendLine(Row(["held-out data (control)", Target(target), .. MorphologyFidelityText.Cells(control, s => $"**{s}**")]));
        md.AppendLine();

        md.AppendLine("The yardstick: the training maps at each target and their half-vs-half spread (largest over the halvings, not scaled).").AppendLine();
        string[] data = ["Target", "Data maps (halves)", "VF", "S2 spread", "Spectrum spread", "SDF peak (spread)", "Isolated % (spread)", "Components A (spread)", "Components B (spread)", "Seam ratio (spread)"];
        md.AppendLine(Row(data)).AppendLine(Row(data.Select(_ => "---")));
        foreach (var (target, y) in Yardsticks)
        {
            if (y.Data is not { } d) { md.AppendLine(Row([Target(target), "0", "-", "-", "-", "-", "-", "-", "-", "-"])); continue; }
            var s = y.Spread;
            string With(double value, double? spread, int decimals) => $"{Fixed(value, decimals)} ({Fixed(spread ?? double.NaN, decimals)})";
            md.AppendLine(Row([Target(target), Text($"{y.Count} ({y.FirstHalfCount} + {y.SecondHalfCount})"), Fixed(d.VolumeFraction, 3),
                Fixed(s?.TwoPointCorrelation ?? double.NaN, 4), Fixed(s?.Spectrum ?? double.NaN, 5), With(d.SpectrumPeakRadius, s?.SpectrumPeakRadius, 0),
                With(100 * d.IsolatedPixelRate, 100 * s?.IsolatedPixelRate, 4), With(d.ComponentsMaterialA, s?.ComponentsMaterialA, 2),
                With(d.ComponentsMaterialB, s?.ComponentsMaterialB, 2), With(d.Seam.Ratio, s?.SeamRatio, 2)]));
        }
        md.AppendLine();
    }

    /// <summary>The section for report.json: settings, the yardstick per target, every cell and the controls.</summary>
    public JsonObject ToJson() => new()
    {
        ["window"] = Options.Window,
        ["halvings"] = Options.Splits,
        ["halving_seed"] = Options.Seed,
        ["bar"] = MorphologyFidelityJson.Bar(MorphologyBar.Default),
        ["data"] = new JsonArray(Yardsticks.Select(p => (JsonNode?)MorphologyFidelityJson.Yardstick(p.Key, p.Value)).ToArray()),
        ["cells"] = new JsonArray(Cells.Select(c =>
        {
            var json = MorphologyFidelityJson.Comparison(c.Comparison, curves: true);
            json.Insert(0, "method", c.Method);
            json.Insert(1, "target", c.Target);
            return (JsonNode?)json;
        }).ToArray()),
        ["held_out_control"] = new JsonArray(Controls.Where(p => p.Value is not null).Select(p =>
        {
            var json = MorphologyFidelityJson.Comparison(p.Value!, curves: false);
            json.Insert(0, "target", p.Key);
            return (JsonNode?)json;
        }).ToArray()),
    };

    private static string Row(IEnumerable<string> cells) => "| " + string.Join(" | ", cells) + " |";
}
