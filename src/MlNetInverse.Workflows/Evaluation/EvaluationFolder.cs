using System.Text.Json;
using System.Text.Json.Nodes;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// What an evaluation may find in its output folder: nothing, or an evaluation of the same model on the same dataset
/// (whose stored cells a rerun resumes from). Another model's report, or files that are no evaluation's (a training
/// folder, say), are refused unless <see cref="EvaluationOptions.Overwrite"/>: one folder holds one evaluation.
/// </summary>
internal static class EvaluationFolder
{
    private static readonly string[] OwnEntries = ["report.md", "report.json", "rep-boxplot.png", "cells", "baselines"];

    /// <exception cref="OutputExistsException">The folder holds something else; the message names it.</exception>
    public static void RefuseOther(EvaluationSetup setup)
    {
        OutputFolderContents.RefuseForeign(setup.Out, IsOwn, "evaluate");
        var reportPath = Path.Combine(setup.Out, "report.json");
        if (!File.Exists(reportPath)) return;
        JsonNode? report;
        try
        {
            report = JsonNode.Parse(File.ReadAllText(reportPath));
        }
        catch (JsonException)
        {
            report = null;
        }
        if (report?["model"]?["sha256_prefix"]?.GetValue<string>() is not { } model || report["dataset"]?["sha256_prefix"]?.GetValue<string>() is not { } dataset)
            throw new OutputExistsException(reportPath, "is not an evaluation report");
        if (model != setup.ModelFingerprint)
            throw new OutputExistsException(setup.Out, $"holds the evaluation of another model (sha256 {model} there, {setup.ModelFingerprint} now)");
        if (dataset != setup.DataFingerprint)
            throw new OutputExistsException(setup.Out, $"holds an evaluation on another dataset (sha256 {dataset} there, {setup.DataFingerprint} now)");
    }

    private static bool IsOwn(string name) =>
        OwnEntries.Contains(name, StringComparer.Ordinal) || (name.StartsWith("designs-", StringComparison.Ordinal) && name.EndsWith(".png", StringComparison.Ordinal));
}
