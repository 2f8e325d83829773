using MlNetInverse.Physics.Datasets;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// What an <see cref="EvaluationRun"/> evaluates: the paper's Table I for a generation model zip, every design judged
/// by RCWA on the labels' stack. Defaults are the paper's (five targets, 30 designs, every method).
/// </summary>
public sealed class EvaluationOptions
{
    /// <summary>The generation model zip from a training run (model.zip). Required.</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>
    /// The model's training dataset (.parquet). Default null: the dataset named in the metrics.json beside the model.
    /// Its split is rebuilt from that metrics.json and checked against the model's latents.parquet.
    /// </summary>
    public string? DataPath { get; set; }

    /// <summary>A stack JSON for the RCWA judge. Default null: the stack stored in the model (the labels' own).</summary>
    public string? StackPath { get; set; }

    /// <summary>Target absorptions. Default 0.55, 0.60, 0.65, 0.70, 0.75 (paper Table I).</summary>
    public IReadOnlyList<double> Targets { get; set; } = [0.55, 0.60, 0.65, 0.70, 0.75];

    /// <summary>Methods in report order (names of <see cref="EvaluationMethods"/>). Default: all nine.</summary>
    public IReadOnlyList<string> Methods { get; set; } = EvaluationMethods.All;

    /// <summary>Designs per target, method and seed. Default 30 (the paper's).</summary>
    public int Samples { get; set; } = 30;

    /// <summary>The code prior file (from <c>train prior</c> on this model) for <see cref="EvaluationMethods.CodePrior"/>; null without that method.</summary>
    public string? PriorPath { get; set; }

    /// <summary>Evaluation seeds of every method's draws; each cell pools their designs. Default: 7 alone.</summary>
    public IReadOnlyList<long> Seeds { get; set; } = [EvaluationSeeds.DefaultSeed];

    /// <summary>Designs per cell and seed re-simulated at the solver settings next to the judge's, for the REP floor. Default 0: off.</summary>
    public int JudgeCheck { get; set; }

    /// <summary>RCWA workers. Default 0: one per core.</summary>
    public int Threads { get; set; }

    /// <summary>RCWA simulations per target of the optimisation baseline. Default 250 (the paper's).</summary>
    public int OptimizationBudget { get; set; } = 250;

    /// <summary>Settings of the verify-and-rank method (proposed+rank).</summary>
    public VerifiedRankingOptions Ranking { get; set; } = new();

    /// <summary>Folder of report.md, report.json and cells/ (finished cells, reused by reruns and shards). Required.</summary>
    public string OutputFolder { get; set; } = "";

    /// <summary>Cache folder of the trained baselines. Default null: OutputFolder/baselines.</summary>
    public string? BaselineCache { get; set; }

    /// <summary>Compute only this shard's contiguous share of the cells. Default null: every cell.</summary>
    public DatasetShard? Shard { get; set; }

    /// <summary>One line per event (a cell judged, a baseline trained or loaded). Called on the evaluating thread; null: silent.</summary>
    public IProgress<string>? Log { get; set; }

    /// <summary>
    /// Evaluate into <see cref="OutputFolder"/> even when it holds another model's or dataset's evaluation, or files that
    /// are no evaluation's. Default false: those are refused (the same evaluation is resumed either way).
    /// </summary>
    public bool Overwrite { get; set; }
}
