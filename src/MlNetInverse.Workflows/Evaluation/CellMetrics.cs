using System.Text.Json.Nodes;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// A cell's designs beyond REP, against the training data at the same absorption: diversity (mean pairwise pixel
/// distance) and its ratio to the training maps' in the window, novelty (distance of each design to its nearest
/// training map; copies flagged), distinct designs, and volume fraction and spectrum shape.
/// </summary>
/// <param name="Diversity">Mean pairwise pixel distance of the designs (NaN for one design).</param>
/// <param name="DiversityRatio">Diversity over the training maps' at this absorption (NaN without a reference).</param>
/// <param name="Distinct">Distinct designs (identical maps counted once).</param>
/// <param name="NearestMin">Smallest distance of a design to its nearest training map.</param>
/// <param name="NearestMean">Mean of those distances.</param>
/// <param name="Copies">Designs closer than <see cref="MapSetMetrics.CopyThreshold"/> to a training map.</param>
/// <param name="Morphology">Volume fraction and spectrum of the designs.</param>
/// <param name="SpectrumDistance">Total-variation distance of their spectrum shape to the training maps' in the window (NaN without).</param>
internal sealed record CellMetrics(double Diversity, double DiversityRatio, int Distinct, double NearestMin, double NearestMean, int Copies,
    Morphology Morphology, double SpectrumDistance)
{
    /// <summary>Measures <paramref name="cell"/> against <paramref name="reference"/> and the whole training split.</summary>
    public static CellMetrics Of(CellResult cell, TargetReference reference, IReadOnlyList<BinaryMap> training)
    {
        var packed = cell.Maps.Select(BinaryMap.Of).ToArray();
        double diversity = MapSetMetrics.MeanPairwiseDistance(packed);
        var nearest = MapSetMetrics.NearestDistances(packed, training);
        var morphology = Morphology.Of(cell.Maps);
        int distinct = cell.Maps.Select(m => Convert.ToBase64String(m.ToPackedBits())).Distinct(StringComparer.Ordinal).Count();
        return new CellMetrics(diversity, diversity / reference.Diversity, distinct,
            nearest.Length == 0 ? double.NaN : nearest.Min(), nearest.Length == 0 ? double.NaN : nearest.Average(), MapSetMetrics.Copies(nearest),
            morphology, reference.Morphology is { } r ? morphology.SpectrumDistanceTo(r) : double.NaN);
    }

    /// <summary>As JSON (NaN as null).</summary>
    public JsonObject ToJson() => new()
    {
        ["diversity"] = ReportNumbers.Json(Diversity),
        ["diversity_ratio_to_training"] = ReportNumbers.Json(DiversityRatio),
        ["distinct_designs"] = Distinct,
        ["nearest_training_distance_min"] = ReportNumbers.Json(NearestMin),
        ["nearest_training_distance_mean"] = ReportNumbers.Json(NearestMean),
        ["copies_of_training_maps"] = Copies,
        ["morphology"] = Morphology.ToJson(),
        ["spectrum_distance_to_training"] = ReportNumbers.Json(SpectrumDistance),
    };
}
