using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlNetInverse.Physics.Morphology;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The morphology statistics as JSON (report.json of evaluate, metrics.json of <c>train --pipeline</c>); numbers
/// rounded to 6 significant digits (rates such as 8e-6 keep their digits), NaN and infinity as null; statistic names in snake case (two_point_correlation, ...).
/// </summary>
internal static class MorphologyFidelityJson
{
    /// <summary>A comparison: verdict, every check, the designs' statistics (with their curves when <paramref name="curves"/>).</summary>
    public static JsonObject Comparison(MorphologyComparison comparison, bool curves) => new()
    {
        ["designs"] = comparison.Generated.Count,
        ["data_maps"] = comparison.Yardstick.Count,
        ["met"] = comparison.Met,
        ["assessable"] = comparison.Assessable,
        ["missed"] = new JsonArray(comparison.Missed.Select(m => (JsonNode?)Name(m)).ToArray()),
        ["spread_scale"] = Json(comparison.Yardstick.Count < 2 ? double.NaN : comparison.Yardstick.ScaleFor(comparison.Generated.Count)),
        ["checks"] = new JsonArray(comparison.Checks.Select(c => (JsonNode?)new JsonObject
        {
            ["statistic"] = Name(c.Statistic), ["generated"] = Json(c.Generated), ["data"] = Json(c.Data), ["distance"] = Json(c.Distance),
            ["spread"] = Json(c.Spread), ["value"] = Json(c.Value), ["limit"] = Json(c.Limit), ["met"] = c.Met, ["rule"] = c.Rule,
        }).ToArray()),
        ["statistics"] = Statistics(comparison.Generated, curves),
        ["data_control"] = DataControl(comparison.DataControl),
    };

    /// <summary>The bar applied to random sets of the data itself at the compared set's size; null when the window is too small.</summary>
    public static JsonObject? DataControl(MorphologyDataControl? control) => control is null ? null : new JsonObject
    {
        ["note"] = "random sets of this many training maps of the window, each against the yardstick of the other maps: how often data-like designs meet the bar",
        ["set_size"] = control.SetSize,
        ["sets"] = control.Sets,
        ["met"] = control.Met,
        ["misses"] = Misses(control.Misses),
    };

    /// <summary>Counts of missed statistics as an object keyed by the statistics' JSON names.</summary>
    public static JsonObject Misses(IReadOnlyDictionary<MorphologyStatistic, int> misses) =>
        new(misses.Select(p => KeyValuePair.Create(Name(p.Key), (JsonNode?)p.Value)));

    /// <summary>A set's statistics: count, volume fraction, S2 and spectrum (curves optional), peak, isolated rate, components, seam.</summary>
    public static JsonObject Statistics(MorphologyStatistics statistics, bool curves)
    {
        var json = new JsonObject
        {
            ["maps"] = statistics.Count,
            ["volume_fraction"] = Json(statistics.VolumeFraction),
            ["sdf_peak_radius"] = statistics.SpectrumPeakRadius,
            ["isolated_pixel_rate"] = Json(statistics.IsolatedPixelRate),
            ["components_material_a"] = Json(statistics.ComponentsMaterialA),
            ["components_material_b"] = Json(statistics.ComponentsMaterialB),
            ["seam"] = new JsonObject
            {
                ["edge_disagreement"] = Json(statistics.Seam.EdgeRate), ["interior_disagreement"] = Json(statistics.Seam.InteriorRate), ["ratio"] = Json(statistics.Seam.Ratio),
            },
        };
        if (curves)
        {
            json["s2_by_radius_px"] = Curve(statistics.TwoPointCorrelation);
            json["spectrum_by_radius_cycles"] = Curve(statistics.Spectrum.Power);
        }
        return json;
    }

    /// <summary>A distance between sets, statistic by statistic.</summary>
    public static JsonObject Distance(MorphologyDistance distance) => new()
    {
        ["two_point_correlation"] = Json(distance.TwoPointCorrelation),
        ["spectrum"] = Json(distance.Spectrum),
        ["spectrum_peak"] = Json(distance.SpectrumPeakRadius),
        ["isolated_pixels"] = Json(distance.IsolatedPixelRate),
        ["components_material_a"] = Json(distance.ComponentsMaterialA),
        ["components_material_b"] = Json(distance.ComponentsMaterialB),
        ["periodic_seam"] = Json(distance.SeamRatio),
    };

    /// <summary>The data at a target: its statistics and its unscaled half-vs-half spread.</summary>
    public static JsonObject Yardstick(double target, MorphologyYardstick yardstick) => new()
    {
        ["target"] = target,
        ["data_maps"] = yardstick.Count,
        ["halves"] = new JsonArray(yardstick.FirstHalfCount, yardstick.SecondHalfCount),
        ["statistics"] = yardstick.Data is { } data ? Statistics(data, curves: true) : null,
        ["half_vs_half_spread"] = yardstick.Spread is { } spread ? Distance(spread) : null,
    };

    /// <summary>The bar's settings.</summary>
    public static JsonObject Bar(MorphologyBar bar) => new()
    {
        ["spread_factor"] = bar.SpreadFactor, ["max_seam_ratio"] = bar.MaxSeamRatio, ["peak_tolerance_bins"] = bar.PeakToleranceBins,
    };

    /// <summary>A statistic's JSON name.</summary>
    public static string Name(MorphologyStatistic statistic) => JsonNamingPolicy.SnakeCaseLower.ConvertName(statistic.ToString());

    private static JsonNode? Json(double value) =>
        double.IsFinite(value) ? JsonValue.Create(double.Parse(value.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)) : null;

    private static JsonArray Curve(IReadOnlyList<double> values) => new(values.Select(v => Json(v)).ToArray());
}
