using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlNetInverse.Cli.Commands;
using MlNetInverse.Cli.Pipelines;
using MlNetInverse.Physics.Morphology;
using Spectre.Console;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.Cli.Reports;

/// <summary>
/// The end of <c>train --pipeline</c>: metrics.json (held-out test results, training metrics, the surrogate-judged
/// generation summary and the designs' morphology against the data, each labelled as what it is) and the one-screen summary.
/// </summary>
internal static class TrainingReport
{
    /// <summary>Stages in run order, as recorded in <see cref="PipelineState"/>.</summary>
    public static readonly string[] Stages = ["surrogate", "vqvae", "latents", "mdn"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes metrics.json atomically.</summary>
    public static void WriteMetrics(TrainingArtifacts artifacts, string pipelinePath, TrainingPipeline pipeline, TrainingStages stages,
        IReadOnlyList<GeneratedTarget> generated, IReadOnlyList<(double Target, MorphologyComparison Comparison)> morphology, double wallSeconds)
    {
        var state = stages.State;
        JsonObject Section(string part) => new(Stages
            .Select(s => (s, state.Metrics(s)?[part]))
            .Where(p => p.Item2 is JsonObject { Count: > 0 })
            .Select(p => KeyValuePair.Create(p.s, (JsonNode?)p.Item2!.DeepClone())));
        var test = Section("test");
        test.Insert(0, "note", $"measured on data never trained on: {stages.Split.HeldOut.Length} held-out dataset images (surrogate: its own held-out share of the training split; MDN: its held-out latent pairs)");
        var training = Section("training");
        training.Insert(0, "note", "measured on training data: not test results");
        var root = new JsonObject
        {
            ["pipeline"] = new JsonObject { ["name"] = pipeline.Name, ["file"] = Path.GetFullPath(pipelinePath), ["seed"] = pipeline.Seed, ["device"] = pipeline.Device },
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
                ["designs_per_target"] = generated.Count == 0 ? 0 : generated[0].Images.Count,
                ["draws_per_design"] = pipeline.Generation.Oversampling,
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
            ["stage_seconds"] = new JsonObject(Stages.Select(s => KeyValuePair.Create(s, (JsonNode?)state.Seconds(s)))),
            ["wall_seconds"] = Math.Round(wallSeconds, 1),
        };
        AtomicFile.WriteAllText(artifacts.Metrics, root.ToJsonString(Indented));
    }

    /// <summary>Where the artifacts are, then the test results, training facts and generation summary as tables.</summary>
    public static void Print(CliOutput output, TrainingArtifacts artifacts, TrainingPipeline pipeline, TrainingStages stages,
        IReadOnlyList<GeneratedTarget> generated, IReadOnlyList<(double Target, MorphologyComparison Comparison)> morphology, double wallSeconds)
    {
        var g0 = pipeline.Generation;
        string generation = (g0.Oversampling > 1 ? Text($"best {g0.Samples} of {g0.Samples * g0.Oversampling} MDN draws by the surrogate") : Text($"{g0.Samples} MDN draws"))
            + (g0.Calibrate ? ", calibrated MDN" : "") + Text($", seed {g0.Seed}");
        var state = stages.State;
        var writer = output.Out;
        writer.WriteLine($"artifacts: {artifacts.Folder}");
        writer.WriteLine($"  model:           {artifacts.Model} (MDN + VQ-VAE decoder + surrogate; use with 'mlnet-inverse generate --model')");
        writer.WriteLine($"  latents:         {artifacts.Latents}");
        writer.WriteLine($"  reconstructions: {artifacts.ReconstructionGrid} (held-out originals, reconstructions, binarized)");
        writer.WriteLine($"  generated:       {artifacts.GenerationGrid} (one row per target, {string.Join(", ", generated.Select(g => Text($"{g.Target:0.00}")))})");
        writer.WriteLine($"  metrics:         {artifacts.Metrics}");

        var test = Table("held-out test results");
        string Value(string stage, string key, string format) =>
            state.Metrics(stage)?["test"]?[key] is JsonValue value && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
                ? number.ToString(format, CultureInfo.InvariantCulture)
                : "n/a";
        Row(test, "surrogate", $"MAE {Value("surrogate", "mae", "F4")}, R^2 {Value("surrogate", "r_squared", "F4")} ({Value("surrogate", "images", "F0")} images)");
        Row(test, "VQ-VAE", $"pixel accuracy {Value("vqvae", "pixel_accuracy", "F4")}, perplexity {Value("vqvae", "perplexity", "F1")} ({Value("vqvae", "images", "F0")} images)");
        Row(test, "MDN", $"NLL {Value("mdn", "nll_per_dimension", "F4")} nats per latent value ({Value("mdn", "pairs", "F0")} pairs)");
        output.Console.Write(test);

        var times = Table("stage wall times");
        foreach (var stage in Stages) Row(times, stage, Text($"{state.Seconds(stage):F0} s"));
        Row(times, "this run", Text($"{wallSeconds:F0} s"));
        output.Console.Write(times);

        var summary = new Table().AddColumns("target", "in range", "designs", "mean REP %", "min REP %", "std REP %")
            .Title(Markup.Escape("generated designs, judged by the surrogate (RCWA: generate --verify)"))
            .Caption(Markup.Escape(generation));
        foreach (var g in generated)
        {
            var rep = g.SurrogateRep;
            summary.AddRow(Text($"{g.Target:0.00}"), g.InTrainingRange ? "yes" : "NO", Text($"{rep.Count}"),
                Text($"{rep.Mean:F2}"), Text($"{rep.Min:F2}"), Text($"{rep.StandardDeviation:F2}"));
        }
        output.Console.Write(summary);
        output.Console.Write(GeneratedMorphology.Table(morphology));
    }

    private static Table Table(string title) => new Table().HideHeaders().AddColumns("", "").Title(Markup.Escape(title));

    private static void Row(Table table, string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
