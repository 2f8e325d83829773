using System.Text.Json;
using System.Text.Json.Nodes;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.Workflows.Pipelines;

/// <summary>
/// metrics.json of a training run: held-out test results, training metrics, the surrogate-judged generation summary
/// and the designs' morphology against the data, each labelled as what it is.
/// </summary>
internal static class TrainingMetrics
{
    /// <summary>Stages in run order, as recorded in <see cref="PipelineState"/>.</summary>
    public static readonly string[] Stages = ["surrogate", "vqvae", "latents", "mdn"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes metrics.json atomically.</summary>
    public static void Write(TrainingResult result)
    {
        var (artifacts, pipeline, stages, generated, morphology, wallSeconds) =
            (result.Artifacts, result.Pipeline, result.Stages, result.Generated, result.Morphology, result.WallSeconds);
        var state = stages.State;
        var names = stages.Names;
        JsonObject Section(string part) => new(names
            .Select(s => (s, state.Metrics(s)?[part]))
            .Where(p => p.Item2 is JsonObject { Count: > 0 })
            .Select(p => KeyValuePair.Create(p.s, (JsonNode?)p.Item2!.DeepClone())));
        var test = Section("test");
        test.Insert(0, "note", $"measured on data never trained on: {stages.Split.HeldOut.Length} held-out dataset images (surrogate: its own held-out share of the training split; MDN: its held-out latent pairs)");
        var training = Section("training");
        training.Insert(0, "note", "measured on training data: not test results");
        var root = new JsonObject
        {
            ["pipeline"] = new JsonObject { ["name"] = pipeline.Name, ["file"] = pipeline.SourcePath, ["seed"] = pipeline.Seed, ["device"] = pipeline.Device },
            ["dataset"] = new JsonObject
            {
                ["file"] = pipeline.Data, ["training_images"] = stages.Split.Training.Length, ["held_out_images"] = stages.Split.HeldOut.Length,
                ["held_out_fraction"] = pipeline.HeldOut,
            },
            ["test_results"] = test,
            ["training_metrics"] = training,
            ["generation_surrogate_judged"] = new JsonObject
            {
                ["note"] = "REP (%) of the surrogate's absorption of the generated designs: a screen, not a physics judgement; run 'mlnet-inverse generate --verify' for RCWA",
                ["model"] = Path.GetFileName(stages.ReportModel),
                ["designs_per_target"] = generated.Count == 0 ? 0 : generated[0].Images.Count,
                ["draws_per_design"] = pipeline.Generation.Oversampling,
                ["volume_fraction_strata"] = pipeline.Generation.VolumeFractionStrata,
                ["screen_softness"] = pipeline.Generation.ScreenSoftness,
                ["calibrated_mdn"] = pipeline.Generation.Calibrate,
                ["targets"] = new JsonArray(generated.Select(g =>
                {
                    var entry = g.SurrogateRep.ToJson();
                    entry.Insert(0, "target", g.Target);
                    entry.Insert(1, "in_training_range", g.InTrainingRange);
                    return (JsonNode)entry;
                }).ToArray()),
            },
            ["morphology_fidelity"] = GeneratedMorphology.ToJson(morphology),
            ["stage_seconds"] = new JsonObject(names.Select(s => KeyValuePair.Create(s, (JsonNode?)state.Seconds(s)))),
            ["surrogate_and_vqvae_side_by_side"] = result.Stages.TrainsSideBySide,
            ["wall_seconds"] = Math.Round(wallSeconds, 1),
        };
        AtomicFile.WriteAllText(artifacts.Metrics, root.ToJsonString(Indented));
    }
}
