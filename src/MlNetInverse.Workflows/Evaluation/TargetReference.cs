using System.Text.Json.Nodes;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>The training data at one target absorption.</summary>
/// <param name="Target">The target.</param>
/// <param name="Count">Training maps within the window.</param>
/// <param name="Diversity">Their mean pairwise pixel distance (NaN for fewer than two).</param>
/// <param name="Morphology">Their volume fraction and spectrum (null when none).</param>
/// <param name="HeldOutCount">Held-out maps within the window.</param>
/// <param name="HeldOutNearestMin">Smallest distance of such a held-out map to its nearest training map (NaN when none).</param>
/// <param name="HeldOutNearestMean">Mean of those distances (NaN when none).</param>
internal sealed record TargetReference(double Target, int Count, double Diversity, Morphology? Morphology, int HeldOutCount,
    double HeldOutNearestMin, double HeldOutNearestMean)
{
    /// <summary>As JSON (NaN as null).</summary>
    public JsonObject ToJson() => new()
    {
        ["target"] = Target,
        ["training_maps_in_window"] = Count,
        ["diversity"] = ReportNumbers.Json(Diversity),
        ["morphology"] = Morphology?.ToJson(),
        ["held_out_maps_in_window"] = HeldOutCount,
        ["held_out_nearest_training_distance_min"] = ReportNumbers.Json(HeldOutNearestMin),
        ["held_out_nearest_training_distance_mean"] = ReportNumbers.Json(HeldOutNearestMean),
    };
}
