using System.Text.Json.Nodes;
using MlNetInverse.Workflows.Verification;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// A finished evaluation: the setup, every cell (seeds pooled) with its metrics, its skill against the learning-free
/// controls, the REP floor of the judge check, the training data's numbers per target and the wall time.
/// <see cref="EvaluationMarkdown"/> and <see cref="EvaluationJson"/> write it; the bar check is <see cref="EvaluationBar"/>.
/// </summary>
internal sealed class EvaluationReport
{
    public EvaluationReport(EvaluationSetup setup, IReadOnlyList<CellResult> cells, double wallSeconds, int computedCells)
    {
        Setup = setup;
        Cells = cells;
        WallSeconds = wallSeconds;
        ComputedCells = computedCells;
        References = setup.Targets.ToDictionary(t => t, setup.Reference.At);
        Metrics = cells.ToDictionary(c => c, c => CellMetrics.Of(c, References[c.Target], setup.Reference.Packed));
        ModelFacts = ReadModelFacts(setup.ModelPath);
        Floor = RepFloor.Of(cells);
    }

    public EvaluationSetup Setup { get; }

    /// <summary>Every cell, method-major in report order.</summary>
    public IReadOnlyList<CellResult> Cells { get; }

    public IReadOnlyDictionary<CellResult, CellMetrics> Metrics { get; }

    /// <summary>The training data per target.</summary>
    public IReadOnlyDictionary<double, TargetReference> References { get; }

    /// <summary>Wall time of this run (s).</summary>
    public double WallSeconds { get; }

    /// <summary>Cells computed by this run (the rest were reused from OUT/cells).</summary>
    public int ComputedCells { get; }

    /// <summary>Summed generation and judging time of every cell (s), whichever run computed it.</summary>
    public double CellSeconds => Cells.Sum(c => c.GenerationSeconds + c.JudgeSeconds);

    /// <summary>Every cell's morphology against the training maps at its target (measured on first use).</summary>
    public MorphologyFidelitySection MorphologyFidelity => _morphology ??= MorphologyFidelitySection.Of(this);

    private MorphologyFidelitySection? _morphology;

    /// <summary>The REP floor the judge check implies, or null when no check was run.</summary>
    public RepFloor? Floor { get; }

    /// <summary>The model's own held-out numbers from metrics.json beside it (null when absent).</summary>
    public JsonObject? ModelFacts { get; }

    /// <summary>The cells of <paramref name="method"/> in target order.</summary>
    public IReadOnlyList<CellResult> Of(string method) => Cells.Where(c => c.Method == method).ToArray();

    /// <summary>The methods present, in report order.</summary>
    public IReadOnlyList<string> Methods => Setup.Methods;

    /// <summary>Mean RCWA REP of <paramref name="control"/> at <paramref name="target"/>, NaN when it was not evaluated.</summary>
    public double ControlMean(string control, double target) =>
        Cells.FirstOrDefault(c => c.Method == control && c.Target == target) is { } cell ? cell.Rcwa.Mean : double.NaN;

    /// <summary>
    /// Skill of <paramref name="cell"/> against <paramref name="control"/>: the control's mean REP over the cell's at the
    /// same target (2 = half the control's error); NaN when the control was not evaluated, infinity at a mean REP of 0.
    /// </summary>
    public double Skill(CellResult cell, string control) => ControlMean(control, cell.Target) / cell.Rcwa.Mean;

    /// <summary>True for the rows whose designs went through a surrogate screen: proposed and code-prior when the zip screens, proposed+rank, vf-control+screen.</summary>
    public bool IsScreened(string method) => method switch
    {
        EvaluationMethods.Proposed or EvaluationMethods.CodePrior => Setup.Model.Oversampling > 1,
        EvaluationMethods.ProposedRanked or EvaluationMethods.VfControlScreened => true,
        _ => false,
    };

    /// <summary>How a method was made: the pipeline for the model's own rows, its training record for a baseline or control.</summary>
    public string TrainingOf(string method) => method == EvaluationMethods.CodePrior
        ? Text($"train --pipeline (the model zip) and train prior (the code prior {Setup.PriorFingerprint}); nothing trained by the evaluation")
        : EvaluationMethods.Judged.Contains(method)
        ? "train --pipeline (the model zip); nothing trained by the evaluation"
        : Of(method).Select(c => c.Training).FirstOrDefault(t => t is not null) is { } t
            ? t.Source + (t.Seconds > 0 ? Text($" ({t.Seconds:F0} s)") : "")
            : "unknown";

    /// <summary>test_results and training_metrics.latents of metrics.json beside the model, or null.</summary>
    private static JsonObject? ReadModelFacts(string modelPath)
    {
        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, "metrics.json");
        if (!File.Exists(path)) return null;
        try
        {
            var metrics = JsonNode.Parse(File.ReadAllText(path));
            return new JsonObject
            {
                ["test_results"] = metrics?["test_results"]?.DeepClone(),
                ["latents"] = metrics?["training_metrics"]?["latents"]?.DeepClone(),
            };
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
