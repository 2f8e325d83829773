using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlNetInverse.Cli.Commands;
using MlNetInverse.Physics.Morphology;
using MlNetInverse.Physics.Storage;
using MlNetInverse.Workflows.Pipelines;
using Spectre.Console;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Cli.Reports;

/// <summary>
/// The end of <c>train --pipeline</c>: the one-screen summary of a <see cref="TrainingResult"/> (where the artifacts
/// are, the held-out test results, the stage times, the surrogate-judged generation summary and the designs' morphology).
/// </summary>
internal static class TrainingReport
{
    /// <summary>Where the artifacts are, then the test results, training facts and generation summary as tables.</summary>
    public static void Print(CliOutput output, TrainingResult result)
    {
        var (artifacts, pipeline, stages, generated, morphology, wallSeconds) =
            (result.Artifacts, result.Pipeline, result.Stages, result.Generated, result.Morphology, result.WallSeconds);
        var g0 = pipeline.Generation;
        // With the prior stage the report's designs come from model-prior.zip: its prior draws and its own screen.
        string generation = result.Sampling + (g0.Calibrate && !stages.HasPrior ? ", calibrated MDN" : "") + Text($", seed {g0.Seed}")
            + (stages.HasPrior ? " (model-prior.zip)" : "");
        var state = stages.State;
        var writer = output.Out;
        writer.WriteLine($"artifacts: {artifacts.Folder}");
        writer.WriteLine($"  model:           {artifacts.Model} (MDN + VQ-VAE decoder + surrogate; use with 'mlnet-inverse generate --model')");
        if (stages.HasPrior)
            writer.WriteLine($"  model-prior:     {artifacts.PriorModel} (the same chain with the code prior drawing the latents; the designs below come from it)");
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
        if (stages.HasPrior)
            Row(test, "code prior", $"{Value("prior", "cross_entropy", "F3")} nats per masked cell, {Value("prior", "cross_entropy_without_label", "F3")} without the label, uniform {Value("prior", "uniform", "F3")} ({Value("prior", "grids", "F0")} grids)");
        output.Console.Write(test);

        var times = Table("stage wall times");
        if (stages.TrainsSideBySide) times.Caption(Markup.Escape("surrogate and vqvae train side by side (no absorption loss): their times overlap"));
        foreach (var stage in stages.Names) Row(times, stage, Text($"{state.Seconds(stage):F0} s"));
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
        output.Console.Write(GeneratedMorphologyTable.Of(morphology));
    }

    private static Table Table(string title) => new Table().HideHeaders().AddColumns("", "").Title(Markup.Escape(title));

    private static void Row(Table table, string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
}
