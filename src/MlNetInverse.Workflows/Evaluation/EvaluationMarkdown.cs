using System.Text;
using static MlNetInverse.Physics.Formatting.InvariantText;
using static MlNetInverse.Workflows.Evaluation.ReportNumbers;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// report.md: the header (dataset, model, stack and harmonics, seeds, wall time), the REP sections
/// (<see cref="TableOneMarkdown"/>: Table I with intervals and skill, the published means, the judge check), diversity /
/// novelty / morphology, the training data per target, the split, methods and cost, the bar and the figures.
/// </summary>
internal static class EvaluationMarkdown
{
    public static string Write(EvaluationReport report)
    {
        var setup = report.Setup;
        var stack = setup.Stack;
        var md = new StringBuilder();
        md.AppendLine("# Evaluation: the paper's Table I with the physics as judge").AppendLine();
        md.AppendLine(Text($"- Model: `{setup.ModelPath}` (sha256 {setup.ModelFingerprint})"));
        md.AppendLine(Text($"- Dataset: `{setup.DataPath}` ({setup.Dataset.Records.Count} maps of {setup.Dataset.Generation.Size}x{setup.Dataset.Generation.Size}, sha256 {setup.DataFingerprint})"));
        md.AppendLine(Text($"- RCWA judge: stack '{stack.Name}', {stack.Solver.Harmonics} harmonics, {stack.Solver.Factorization} factorization, {stack.WavelengthsNm.Count} wavelengths ({stack.WavelengthsNm.Min():0.#}-{stack.WavelengthsNm.Max():0.#} nm), absorption = mean patterned-layer absorption over them (the labels' own configuration)"));
        md.AppendLine(Text($"- Seeds: evaluation {string.Join(", ", setup.Seeds)} (every method's draws and searches; each cell pools them); training {setup.Split.Seed} (the split, the model's weights, the baselines' weights)"));
        md.AppendLine(Text($"- Designs: {setup.Samples} per target, method and seed ({setup.Samples * setup.Seeds.Count} per cell), binary (pixels 0/1, as fabricated); REP = |target - A| / target x 100"));
        md.AppendLine(setup.JudgeCheck > 0
            ? Text($"- Judge check: the first {setup.JudgeCheck} design(s) of every cell and seed re-simulated at {string.Join("; ", Physics.Rcwa.TruncationBand.Neighbours(stack.Solver).Select(Physics.Rcwa.TruncationBand.Describe))}")
            : "- Judge check: off (`--judge-check 0`)");
        md.AppendLine(Text($"- Wall time: {report.WallSeconds:F0} s for this run ({report.ComputedCells} of {setup.SeedCells.Count} cells computed now, the rest reused from cells/; a cell is one method, target and seed); generation + judging of all cells {report.CellSeconds:F0} s; RCWA workers {setup.Threads}"));
        md.AppendLine();

        TableOneMarkdown.Append(md, report);

        md.AppendLine("## Beyond REP: diversity, novelty, volume fraction and spectrum").AppendLine();
        md.AppendLine(Text($"Diversity: mean pairwise pixel distance (fraction of differing pixels) of the designs; training: the same for the training maps labelled within +-{TrainingReference.Window} of the target. Novelty: each design's distance to its nearest training map; a design closer than {MapSetMetrics.CopyThreshold} is flagged as a copy. Spectrum distance: total-variation distance between the radial spectral densities' shapes (0 = same, 1 = disjoint)."));
        md.AppendLine();
        string[] beyond = ["Method", "Target", "Diversity", "Training diversity", "Ratio", "Distinct", "Nearest training min / mean", "Copies", "VF mean +- std", "Training VF", "SDF peak (training)", "Spectrum distance"];
        md.AppendLine(Row(beyond)).AppendLine(Row(beyond.Select(_ => "---")));
        foreach (var c in report.Cells)
        {
            var m = report.Metrics[c];
            var r = report.References[c.Target];
            md.AppendLine(Row([c.Method, Target(c.Target), Fixed(m.Diversity, 3), Fixed(r.Diversity, 3), Fixed(m.DiversityRatio, 2), Text($"{m.Distinct}"),
                $"{Fixed(m.NearestMin, 3)} / {Fixed(m.NearestMean, 3)}", m.Copies == 0 ? "0" : Text($"**{m.Copies}**"),
                $"{Fixed(m.Morphology.VolumeFractionMean, 3)} +- {Fixed(m.Morphology.VolumeFractionStd, 3)}",
                r.Morphology is { } rm ? $"{Fixed(rm.VolumeFractionMean, 3)} +- {Fixed(rm.VolumeFractionStd, 3)}" : "-",
                Text($"{m.Morphology.PeakRadius} ({(r.Morphology is { } p ? p.PeakRadius.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-")})"), Fixed(m.SpectrumDistance, 3)]));
        }
        md.AppendLine();

        report.MorphologyFidelity.AppendMarkdown(md);
        md.AppendLine("## Training data at each target").AppendLine();
        string[] refColumns = ["Target", "Training maps in window", "Diversity", "VF mean +- std", "SDF peak", "Held-out maps in window", "Held-out nearest training min / mean"];
        md.AppendLine(Row(refColumns)).AppendLine(Row(refColumns.Select(_ => "---")));
        foreach (var r in report.References.Values)
            md.AppendLine(Row([Target(r.Target), Text($"{r.Count}"), Fixed(r.Diversity, 3),
                r.Morphology is { } rm ? $"{Fixed(rm.VolumeFractionMean, 3)} +- {Fixed(rm.VolumeFractionStd, 3)}" : "-",
                r.Morphology is { } p ? Text($"{p.PeakRadius}") : "-", Text($"{r.HeldOutCount}"), $"{Fixed(r.HeldOutNearestMin, 3)} / {Fixed(r.HeldOutNearestMean, 3)}"]));
        md.AppendLine().AppendLine("Held-out maps are fresh samples of the data generator: their distance to the nearest training map is what a new, non-copied design looks like.").AppendLine();

        md.AppendLine("## Held-out honesty").AppendLine();
        var split = setup.Split;
        md.AppendLine(Text($"- Split: {split.Training.Length} training and {split.HeldOut.Length} held-out rows of the dataset, from {split.Source}; {split.Check}."));
        md.AppendLine("- The model (surrogate, VQ-VAE, MDN) and every baseline trained on the training rows only; the baselines were seeded with the training seed, and GAN-MDN labelled its samples with the model's surrogate (trained on the training rows).");
        md.AppendLine(Text($"- Evaluation draws fresh designs with seed(s) {string.Join(", ", setup.Seeds)}{(setup.Seeds.Contains(split.Seed) ? " (WARNING: one equals the training seed)" : Text($", not the training seed {split.Seed}"))}; targets are set by the user, not taken from any row, and every design is judged by RCWA, not by a label."));
        md.AppendLine("- The learning-free controls fit label ~ VF on the training rows only and draw fresh GRFs; vf-control+screen ranks its draws with the model's surrogate (trained on the training rows).");
        md.AppendLine();

        md.AppendLine("## Methods and cost").AppendLine();
        string[] costColumns = ["Method", "Settings", "Training", "Generation s (all targets and seeds)", "Judge s", "RCWA simulations by the method (all targets and seeds)"];
        md.AppendLine(Row(costColumns)).AppendLine(Row(costColumns.Select(_ => "---")));
        foreach (var method in report.Methods)
        {
            var cells = report.Of(method);
            md.AppendLine(Row([method, setup.MethodSettings(method), report.TrainingOf(method), Fixed(cells.Sum(c => c.GenerationSeconds), 1),
                Fixed(cells.Sum(c => c.JudgeSeconds), 1), Text($"{cells.Sum(c => c.MethodSimulations)}")]));
        }
        md.AppendLine();

        foreach (var method in EvaluationMethods.Judged.Where(report.Methods.Contains))
            AppendBar(md, report, method);

        md.AppendLine("## Figures").AppendLine();
        md.AppendLine("- `rep-boxplot.png`: RCWA-judged REP per target and method, seeds pooled (box: quartiles and median; whiskers: min and max; log scale).");
        md.AppendLine(Text($"- `designs-<target>.png`: the first designs of each method at that target, one row per method in this order: {string.Join(", ", report.Methods)}."));
        return md.ToString();
    }

    private static void AppendBar(StringBuilder md, EvaluationReport report, string method)
    {
        md.AppendLine(Text($"## The bar for {method}")).AppendLine();
        md.AppendLine(Text($"Per target: {EvaluationBar.Criterion}.")).AppendLine();
        foreach (var line in EvaluationBar.Lines(report, method)) md.AppendLine("- " + line);
        md.AppendLine();
        var checks = EvaluationBar.Check(report, method);
        md.AppendLine(Text($"Met at {checks.Count(c => c.Met)} of {checks.Count} target(s).")).AppendLine();
        if (checks.All(c => c.Met)) return;
        md.AppendLine("What limits it, per target (REP points are percent of the target):").AppendLine();
        foreach (var line in EvaluationBar.Limits(report, method)) md.AppendLine(line);
        md.AppendLine();
        if (report.ModelFacts is { } facts)
            md.AppendLine(Text($"Model facts (metrics.json, held-out): VQ-VAE pixel accuracy {facts["test_results"]?["vqvae"]?["pixel_accuracy"]}, reconstructions' surrogate absorption MAE against their labels {facts["latents"]?["decoded_absorption_mae"]} (bias {facts["latents"]?["decoded_absorption_bias"]}), surrogate MAE {facts["test_results"]?["surrogate"]?["mae"]}, MDN NLL per latent value {facts["test_results"]?["mdn"]?["nll_per_dimension"]}.")).AppendLine();
    }

    private static string Row(IEnumerable<string> cells) => "| " + string.Join(" | ", cells) + " |";
}
