using System.Text.Json.Nodes;
using MlNetInverse.Physics.Rcwa;
using MlNetInverse.Physics.Statistics;
using MlNetInverse.Workflows.Verification;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// report.json, schema <see cref="Schema"/>: the same numbers as report.md for programs. Top level: schema, model,
/// dataset, stack, seeds (evaluation: the first, evaluation_seeds: all, training), split, samples_per_target (per
/// seed), targets, wall_seconds, cell_seconds, bootstrap, judge_check (designs per cell and seed, the REP floor or null),
/// training_reference (per target), methods (per method: name, title, settings, training, targets: per target the
/// seeds pooled, the RCWA statistics with the 95 % interval of the mean, skill against the controls, which values lie
/// below the floor, the surrogate's statistics, the REP of every design, the judge check, the method's simulations,
/// timing and the metrics beyond REP), bar (per model row: the criterion and every target).
/// </summary>
internal static class EvaluationJson
{
    /// <summary>Identifies the layout; changes when a field is renamed or removed.</summary>
    public const string Schema = "mlnet-inverse/evaluation/2";

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
            ["seeds"] = new JsonObject
            {
                ["evaluation"] = setup.Seed, ["evaluation_seeds"] = new JsonArray(setup.Seeds.Select(s => (JsonNode?)s).ToArray()), ["training"] = setup.Split.Seed,
            },
            ["split"] = setup.Split.ToJson(),
            ["samples_per_target"] = setup.Samples,
            ["targets"] = new JsonArray(setup.Targets.Select(t => (JsonNode?)t).ToArray()),
            ["wall_seconds"] = Math.Round(report.WallSeconds, 1),
            ["cell_seconds"] = Math.Round(report.CellSeconds, 1),
            ["bootstrap"] = new JsonObject
            {
                ["statistic"] = "mean RCWA REP", ["method"] = "percentile", ["resamples"] = BootstrapInterval.DefaultResamples,
                ["confidence"] = BootstrapInterval.DefaultConfidence, ["seed"] = 0,
            },
            ["judge_check"] = new JsonObject
            {
                ["designs_per_cell_and_seed"] = setup.JudgeCheck,
                ["settings"] = new JsonArray(TruncationBand.Neighbours(setup.Stack.Solver).Select(o => (JsonNode?)TruncationBand.Describe(o)).ToArray()),
                ["floor"] = report.Floor?.ToJson(),
            },
            ["copy_threshold"] = MapSetMetrics.CopyThreshold,
            ["absorption_window"] = TrainingReference.Window,
            ["training_reference"] = new JsonArray(report.References.Values.Select(r => (JsonNode?)r.ToJson()).ToArray()),
            ["methods"] = new JsonArray(report.Methods.Select(m => (JsonNode?)Method(report, m)).ToArray()),
            ["morphology_fidelity"] = report.MorphologyFidelity.ToJson(),
            ["bar"] = new JsonObject(EvaluationMethods.Judged.Where(report.Methods.Contains)
                .Select(m => KeyValuePair.Create(m, (JsonNode?)EvaluationBar.ToJson(report, m)))),
        };
    }

    private static JsonObject Method(EvaluationReport report, string method) => new()
    {
        ["name"] = method,
        ["title"] = report.Setup.Title(method),
        ["settings"] = report.Setup.MethodSettings(method),
        ["training"] = report.TrainingOf(method),
        ["targets"] = new JsonArray(report.Of(method).Select(c => (JsonNode?)new JsonObject
        {
            ["target"] = c.Target,
            ["seeds"] = new JsonArray((c.Seeds ?? []).Select(s => (JsonNode?)s).ToArray()),
            ["rcwa"] = Rcwa(report, c),
            ["skill_vs_vf_control"] = ReportNumbers.Json(report.Skill(c, EvaluationMethods.VfControl)),
            ["skill_vs_vf_control_screen"] = report.IsScreened(method) ? ReportNumbers.Json(report.Skill(c, EvaluationMethods.VfControlScreened)) : null,
            ["surrogate"] = c.Surrogate.ToJson(),
            ["paper"] = Paper(method, c.Target),
            ["rep_percent"] = new JsonArray(c.RcwaReps.Select(r => (JsonNode?)Math.Round(r, 4)).ToArray()),
            ["method_simulations"] = c.MethodSimulations,
            ["drawn"] = c.Drawn,
            ["within_tolerance"] = c.WithinTolerance,
            ["generation_seconds"] = Math.Round(c.GenerationSeconds, 2),
            ["judge_seconds"] = Math.Round(c.JudgeSeconds, 2),
            ["beyond_rep"] = report.Metrics[c].ToJson(),
            ["judge_check"] = c.Check is { Designs: > 0 } check ? JudgeCheckJson(c, check) : null,
        }).ToArray()),
    };

    private static JsonObject Rcwa(EvaluationReport report, CellResult cell)
    {
        var json = cell.Rcwa.ToJson();
        var interval = cell.RcwaMeanInterval;
        json["mean_rep_ci95"] = new JsonArray(Math.Round(interval.Lower, 4), Math.Round(interval.Upper, 4));
        json["min_below_floor"] = report.Floor?.Covers(cell.Rcwa.Min);
        json["mean_below_floor"] = report.Floor?.Covers(cell.Rcwa.Mean);
        return json;
    }

    private static JsonObject JudgeCheckJson(CellResult cell, JudgeCheck check)
    {
        var shifts = check.Shifts(cell.Target, cell.RcwaAbsorption);
        return new JsonObject
        {
            ["designs"] = check.Designs,
            ["settings"] = new JsonArray(check.Variants.Select((v, k) => (JsonNode?)new JsonObject
            {
                ["setting"] = v.Label, ["harmonics"] = v.Harmonics, ["factorization"] = v.Factorization.ToString(),
                ["mean_abs_delta_rep"] = ReportNumbers.Json(shifts[k].Average()), ["max_abs_delta_rep"] = ReportNumbers.Json(shifts[k].Max()),
                ["absorption"] = new JsonArray(v.Absorption.Select(a => (JsonNode?)a).ToArray()),
            }).ToArray()),
        };
    }

    private static JsonObject Paper(string method, double target)
    {
        var (min, mean, std) = PaperTableOne.At(method, target);
        return new JsonObject { ["min_rep"] = ReportNumbers.Json(min), ["mean_rep"] = ReportNumbers.Json(mean), ["std_rep"] = ReportNumbers.Json(std) };
    }
}
