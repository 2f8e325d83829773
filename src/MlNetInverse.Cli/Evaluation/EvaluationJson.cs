using System.Text.Json.Nodes;

namespace MlNetInverse.Cli.Evaluation;

/// <summary>
/// report.json, schema <see cref="Schema"/>: the same numbers as report.md for programs. Top level: schema, model,
/// dataset, stack, seeds, split, samples_per_target, targets, wall_seconds, cell_seconds, training_reference (per
/// target), methods (per method: name, settings, training, targets: per target the RCWA and surrogate REP statistics,
/// the REP of every design, the method's simulations, timing and the metrics beyond REP), bar (per proposed method).
/// </summary>
internal static class EvaluationJson
{
    /// <summary>Identifies the layout; changes when a field is renamed or removed.</summary>
    public const string Schema = "mlnet-inverse/evaluation/1";

    public static JsonObject Write(EvaluationReport report)
    {
        var setup = report.Setup;
        return new JsonObject
        {
            ["schema"] = Schema,
            ["model"] = new JsonObject { ["file"] = setup.ModelPath, ["sha256_prefix"] = setup.ModelFingerprint, ["held_out_metrics"] = report.ModelFacts?.DeepClone() },
            ["dataset"] = new JsonObject
            {
                ["file"] = setup.DataPath, ["sha256_prefix"] = setup.DataFingerprint, ["rows"] = setup.Dataset.Records.Count, ["image_size"] = setup.Dataset.Generation.Size,
            },
            ["stack"] = new JsonObject
            {
                ["name"] = setup.Stack.Name, ["harmonics"] = setup.Stack.Solver.Harmonics, ["factorization"] = setup.Stack.Solver.Factorization.ToString(),
                ["wavelengths_nm"] = new JsonArray(setup.Stack.WavelengthsNm.Select(w => (JsonNode?)w).ToArray()),
            },
            ["seeds"] = new JsonObject { ["evaluation"] = setup.Seed, ["training"] = setup.Split.Seed },
            ["split"] = setup.Split.ToJson(),
            ["samples_per_target"] = setup.Samples,
            ["targets"] = new JsonArray(setup.Targets.Select(t => (JsonNode?)t).ToArray()),
            ["wall_seconds"] = Math.Round(report.WallSeconds, 1),
            ["cell_seconds"] = Math.Round(report.CellSeconds, 1),
            ["copy_threshold"] = MapSetMetrics.CopyThreshold,
            ["absorption_window"] = TrainingReference.Window,
            ["training_reference"] = new JsonArray(report.References.Values.Select(r => (JsonNode?)r.ToJson()).ToArray()),
            ["methods"] = new JsonArray(report.Methods.Select(m => (JsonNode?)Method(report, m)).ToArray()),
            ["morphology_fidelity"] = report.MorphologyFidelity.ToJson(),
            ["bar"] = new JsonObject(new[] { EvaluationMethods.Proposed, EvaluationMethods.ProposedRanked }.Where(report.Methods.Contains)
                .Select(m => KeyValuePair.Create(m, (JsonNode?)EvaluationBar.ToJson(report, m)))),
        };
    }

    private static JsonObject Method(EvaluationReport report, string method) => new()
    {
        ["name"] = method,
        ["title"] = EvaluationMethods.Title(method),
        ["settings"] = report.Setup.MethodSettings(method),
        ["training"] = report.TrainingOf(method),
        ["targets"] = new JsonArray(report.Of(method).Select(c => (JsonNode?)new JsonObject
        {
            ["target"] = c.Target,
            ["rcwa"] = c.Rcwa.ToJson(),
            ["surrogate"] = c.Surrogate.ToJson(),
            ["paper"] = Paper(method, c.Target),
            ["rep_percent"] = new JsonArray(c.RcwaReps.Select(r => (JsonNode?)Math.Round(r, 4)).ToArray()),
            ["method_simulations"] = c.MethodSimulations,
            ["drawn"] = c.Drawn,
            ["within_tolerance"] = c.WithinTolerance,
            ["generation_seconds"] = Math.Round(c.GenerationSeconds, 2),
            ["judge_seconds"] = Math.Round(c.JudgeSeconds, 2),
            ["beyond_rep"] = report.Metrics[c].ToJson(),
        }).ToArray()),
    };

    private static JsonObject Paper(string method, double target)
    {
        var (min, mean, std) = PaperTableOne.At(method, target);
        return new JsonObject { ["min_rep"] = ReportNumbers.Json(min), ["mean_rep"] = ReportNumbers.Json(mean), ["std_rep"] = ReportNumbers.Json(std) };
    }
}
