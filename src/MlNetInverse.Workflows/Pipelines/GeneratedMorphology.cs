using System.Text.Json.Nodes;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Morphology;
using MlNetInverse.Workflows.Data;
using MlNetInverse.Workflows.Evaluation;
using MlNetInverse.Workflows.Generation;

namespace MlNetInverse.Workflows.Pipelines;

/// <summary>
/// The morphology of <c>train --pipeline</c>'s designs (those in generated.png): per target, the designs against the
/// training maps labelled within the window of the target, with the same yardstick and bar as <c>evaluate</c>.
/// </summary>
internal static class GeneratedMorphology
{
    /// <summary>One comparison per generated target, in target order.</summary>
    public static IReadOnlyList<(double Target, MorphologyComparison Comparison)> Compare(MicrostructureDataset dataset, HeldOutSplit split,
        IReadOnlyList<GeneratedTarget> generated)
    {
        var training = split.Training.Select(i => dataset.Records[i]).ToArray();
        return generated.Select(g => (g.Target, MorphologyComparison.Of(
            g.Maps(),
            MorphologyYardstick.AtTarget(training, g.Target, MorphologyFidelitySection.Options)))).ToArray();
    }

    /// <summary>The metrics.json section: settings, bar and per target the comparison with the data's spread.</summary>
    public static JsonObject ToJson(IReadOnlyList<(double Target, MorphologyComparison Comparison)> morphology) => new()
    {
        ["note"] = "the designs of generated.png against the training maps labelled within the window of each target; spread: the largest distance between two random halves of those maps, scaled to the design count",
        ["window"] = MorphologyFidelitySection.Options.Window,
        ["halvings"] = MorphologyFidelitySection.Options.Splits,
        ["bar"] = MorphologyFidelityJson.Bar(MorphologyBar.Default),
        ["targets"] = new JsonArray(morphology.Select(m =>
        {
            var json = MorphologyFidelityJson.Comparison(m.Comparison, curves: false);
            json.Insert(0, "target", m.Target);
            json["data_statistics"] = m.Comparison.Yardstick.Data is { } data ? MorphologyFidelityJson.Statistics(data, curves: false) : null;
            return (JsonNode?)json;
        }).ToArray()),
    };
}
