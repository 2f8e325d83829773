using System.Text.Json.Nodes;
using MlNetInverse.Physics.Morphology;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// How close sets of designs came to the morphology bar at one target: per statistic the median and the worst of
/// value / limit over the sets (above 1 misses), and the sets' mean volume fraction beside the data's. A count of misses
/// says only how often a set crossed the bar; the margins say by how much the typical set clears it, so two generators
/// that miss equally often can still be told apart, and a bias in the volume fraction (which moves the whole S2 curve)
/// shows by itself.
/// </summary>
/// <param name="Sets">Sets the margins are over.</param>
/// <param name="Ratios">Per statistic the data can judge, in enum order: median and worst value / limit.</param>
/// <param name="GeneratedVolumeFraction">Mean volume fraction of material A over the sets' designs.</param>
/// <param name="DataVolumeFraction">The data maps' mean volume fraction at the target; NaN when the window holds none.</param>
internal sealed record MorphologyMargins(int Sets, IReadOnlyDictionary<MorphologyStatistic, (double Median, double Worst)> Ratios,
    double GeneratedVolumeFraction, double DataVolumeFraction)
{
    /// <summary>The margins of <paramref name="comparisons"/>, sets of one target against one yardstick.</summary>
    /// <exception cref="ArgumentException">No comparisons.</exception>
    public static MorphologyMargins Of(IReadOnlyList<MorphologyComparison> comparisons)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        if (comparisons.Count == 0) throw new ArgumentException("Margins need at least one set.", nameof(comparisons));
        var ratios = new SortedDictionary<MorphologyStatistic, (double, double)>();
        foreach (var statistic in Enum.GetValues<MorphologyStatistic>())
        {
            // A check the data cannot judge (no spread) has no limit to be near.
            var values = comparisons.Select(c => c.Checks[(int)statistic]).Where(c => c.Met is not null && c.Limit > 0).Select(c => c.Value / c.Limit)
                .Order().ToArray();
            if (values.Length > 0) ratios[statistic] = (Median(values), values[^1]);
        }
        double generated = comparisons.Average(c => c.Generated.VolumeFraction);
        double data = comparisons[0].Yardstick.Data?.VolumeFraction ?? double.NaN;
        return new MorphologyMargins(comparisons.Count, ratios, generated, data);
    }

    /// <summary>The JSON of <c>morphology --out</c>: per statistic {median, worst}, then the volume fractions.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["sets"] = Sets };
        foreach (var (statistic, ratio) in Ratios)
            json[MorphologyFidelityJson.Name(statistic)] = new JsonObject { ["median"] = ratio.Median, ["worst"] = ratio.Worst };
        json["volume_fraction"] = GeneratedVolumeFraction;
        json["data_volume_fraction"] = double.IsNaN(DataVolumeFraction) ? null : DataVolumeFraction;
        return json;
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
