using System.Text.Json.Nodes;
using MlNetInverse.Workflows.Evaluation;

namespace MlNetInverse.Workflows.Verification;

/// <summary>
/// The REP floor the judge check implies: per neighbouring solver setting, the mean and max |delta REP| (REP points)
/// over every checked design of every cell, and the floor itself, the largest of those means. Each neighbouring
/// setting is as defensible a judge as the judge itself, so a typical REP moves by that much with a choice nobody
/// could call wrong; a min or mean REP below it says nothing about the method's accuracy. The largest mean (not the
/// largest single shift, which one hard design sets) is the typical size of the worst of these choices.
/// </summary>
/// <param name="Value">The floor (REP points, i.e. percent of the target).</param>
/// <param name="Setting">The setting whose mean shift sets it, e.g. "Li, nG 225".</param>
/// <param name="Settings">Every setting: label, mean and max |delta REP|, designs checked.</param>
internal sealed record RepFloor(double Value, string Setting, IReadOnlyList<(string Label, double Mean, double Max, int Designs)> Settings)
{
    /// <summary>The floor of <paramref name="cells"/>' judge checks, or null when no cell was checked.</summary>
    public static RepFloor? Of(IEnumerable<CellResult> cells)
    {
        var shifts = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var cell in cells.Where(c => c.Check is { Designs: > 0 }))
        {
            var perSetting = cell.Check!.Shifts(cell.Target, cell.RcwaAbsorption);
            for (int k = 0; k < perSetting.Length; k++)
            {
                string label = cell.Check.Variants[k].Label;
                if (!shifts.TryGetValue(label, out var list))
                {
                    shifts[label] = list = [];
                    order.Add(label);
                }
                list.AddRange(perSetting[k]);
            }
        }
        if (order.Count == 0) return null;
        var settings = order.Select(label => (label, shifts[label].Average(), shifts[label].Max(), shifts[label].Count)).ToArray();
        var worst = settings.MaxBy(s => s.Item2);
        return new RepFloor(worst.Item2, worst.label, settings);
    }

    /// <summary>True when <paramref name="rep"/> lies below the floor: within the solver's uncertainty.</summary>
    public bool Covers(double rep) => rep < Value;

    /// <summary>As JSON.</summary>
    public JsonObject ToJson() => new()
    {
        ["floor_rep_points"] = ReportNumbers.Json(Value),
        ["set_by"] = Setting,
        ["rule"] = "largest mean |delta REP| over every checked design, among the neighbouring solver settings",
        ["settings"] = new JsonArray(Settings.Select(s => (JsonNode?)new JsonObject
        {
            ["setting"] = s.Label, ["mean_abs_delta_rep"] = ReportNumbers.Json(s.Mean), ["max_abs_delta_rep"] = ReportNumbers.Json(s.Max), ["designs"] = s.Designs,
        }).ToArray()),
    };
}
