using System.ComponentModel;
using MlNetInverse.Baselines;
using MlNetInverse.Cli.Output;
using MlNetInverse.Workflows.Evaluation;
using MlNetInverse.Workflows.Verification;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>Options of <c>evaluate</c>.</summary>
internal sealed class EvaluateSettings : CliSettings
{
    [CommandOption("--model <FILE>")]
    [Description("Required. A generation model zip from 'train --pipeline'; its metrics.json and latents.parquet beside it name the training split.")]
    public string? Model { get; set; }

    [CommandOption("--targets <LIST>")]
    [Description("Target absorptions, comma-separated. Default: the paper's 0.55,0.6,0.65,0.7,0.75.")]
    public string? Targets { get; set; }

    [CommandOption("--samples <N>")]
    [Description("Designs per target and method. Default 30 (the paper's).")]
    public int Samples { get; set; } = 30;

    [CommandOption("--out <DIR>")]
    [Description("Required. Folder for report.md, report.json, the PNGs and cells/ (finished cells, reused by reruns and shards).")]
    public string? Out { get; set; }

    [CommandOption("--methods <LIST>")]
    [Description("Methods, comma-separated: paper (the zip as the paper samples it: plain MDN draws, no calibration, no screen), proposed (the zip as generate uses it), proposed+rank, vf-control, vf-control+screen (learning-free controls), gan-mdn, pca-mdn, mdn-inverse, optimization; code-prior (the zip's decoder and screen fed by --prior instead of the MDN) on request. Default: all nine, and code-prior with --prior.")]
    public string? Methods { get; set; }

    [CommandOption("--prior <FILE>")]
    [Description("A code prior from 'train prior --model' on this zip, for the code-prior method (added to the default methods when given).")]
    public string? Prior { get; set; }

    [CommandOption("--seed <SEED>")]
    [Description("Evaluation seed of every method's draws (the baselines train with the model's training seed). Default 7.")]
    public long? Seed { get; set; }

    [CommandOption("--seeds <LIST|COUNT>")]
    [Description("Several evaluation seeds whose designs each cell pools: a list (7,8,9) or a count (3: --seed and the next two). Each seed's cells are stored separately, so reruns and shards reuse them. Default: --seed alone.")]
    public string? Seeds { get; set; }

    [CommandOption("--judge-check <N>")]
    [Description("Re-simulate the first N designs of every cell (and seed) at the next two harmonic sets above the judge's and with the other factorisation, and report how far REP moves and the REP floor this implies. Stored with the cells. Default 0: off.")]
    public int JudgeCheck { get; set; }

    [CommandOption("--data <FILE>")]
    [Description("The model's training dataset (.parquet). Default: the file named in metrics.json beside the model, else data/microstructures.parquet of the repository.")]
    public string? Data { get; set; }

    [CommandOption("--stack <FILE>")]
    [Description("A stack JSON for the RCWA judge instead of the one stored in the model (the labels' own).")]
    public string? Stack { get; set; }

    [CommandOption("--overwrite")]
    [Description("Evaluate into --out even when it holds another model's or dataset's evaluation, or files that are no evaluation's (refused without it). The same evaluation resumes without it.")]
    public bool Overwrite { get; set; }

    [CommandOption("--threads <N>")]
    [Description("RCWA workers. Default 0: one per core.")]
    public int Threads { get; set; }

    [CommandOption("--baselines <DIR>")]
    [Description("Cache folder for the trained baselines: NAME.bin is reused when NAME.json shows the same data, split and settings; trained and written otherwise. Default: OUT/baselines.")]
    public string? Baselines { get; set; }

    [CommandOption("--optimization-budget <N>")]
    [Description("RCWA simulations per target of the optimisation baseline. Default 250 (the paper's).")]
    public int OptimizationBudget { get; set; } = 250;

    [CommandOption("--oversample <M>")]
    [Description("proposed+rank: MDN draws per design. Default 8.")]
    public int Oversample { get; set; } = 8;

    [CommandOption("--tolerance-percent <T>")]
    [Description("proposed+rank: REP (percent) a design must meet under RCWA. Default 1.")]
    public double TolerancePercent { get; set; } = 1.0;

    [CommandOption("--calibration-simulations <N>")]
    [Description("proposed+rank: RCWA simulations of the first round, after which (and after every later round) the surrogate is corrected by its mean offset from RCWA on the designs simulated so far before the rest are ranked again. Default 8; 0: no correction.")]
    public int CalibrationSimulations { get; set; } = 8;

    [CommandOption("--max-simulations <N>")]
    [Description("proposed+rank: RCWA simulations per target at most. Default 0: twice --samples.")]
    public int MaxSimulations { get; set; }

    [CommandOption(ShardOption.Template)]
    [Description("Compute only shard I of N (1-based, e.g. 3/4): its contiguous share of the (method, target) cells, in method-major order, into OUT/cells/; a run without --shard then reuses every stored cell and writes the report. Default: from SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1 of SLURM_ARRAY_TASK_COUNT inside a Slurm array job, else every cell; 'none' ignores Slurm.")]
    public string? Shard { get; set; }

    /// <summary>The parsed targets.</summary>
    public IReadOnlyList<double> TargetList => Targets is null ? [0.55, 0.60, 0.65, 0.70, 0.75] : GenerateSettings.ParseTargets(Targets);

    /// <summary>The evaluation seeds (<see cref="EvaluationSeeds"/>).</summary>
    public IReadOnlyList<long> SeedList => EvaluationSeeds.Parse(Seeds, Seed);

    /// <summary>The parsed methods in report order.</summary>
    public IReadOnlyList<string> MethodList => Methods is not null ? EvaluationMethods.Parse(Methods)
        : Prior is null ? EvaluationMethods.All : EvaluationMethods.Known;

    /// <summary>The verify-and-rank settings.</summary>
    public VerifiedRankingOptions Ranking => new() { Oversample = Oversample, TolerancePercent = TolerancePercent, MaxSimulations = MaxSimulations, CalibrationSimulations = CalibrationSimulations };

    public override ValidationResult Validate()
    {
        try
        {
            Check();
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return ValidationResult.Error(e.Message);
        }
        return ValidationResult.Success();
    }

    private void Check()
    {
        if (string.IsNullOrWhiteSpace(Model)) throw new FormatException("--model FILE.zip is required (e.g. artifacts/model.zip from 'train --pipeline').");
        if (!File.Exists(Model)) throw new FormatException($"--model: file '{Model}' does not exist.");
        _ = TargetList;
        var methods = MethodList;
        if (Samples < 1) throw new FormatException($"--samples must be at least 1 design per target; got {Samples}.");
        if (methods.Contains(EvaluationMethods.CodePrior) && Prior is null)
            throw new FormatException("--methods code-prior needs --prior FILE (a code prior from 'train prior --model' on this zip).");
        if (Prior is not null && !File.Exists(Prior)) throw new FormatException($"--prior: file '{Prior}' does not exist.");
        _ = SeedList;
        if (JudgeCheck < 0) throw new FormatException($"--judge-check must be 0 (off) or a number of designs per cell to re-simulate; got {JudgeCheck}.");
        if (Threads < 0) throw new FormatException($"--threads must be 0 (one per core) or at least 1; got {Threads}.");
        if (OptimizationBudget < 1) throw new FormatException($"--optimization-budget must be at least 1 simulation; got {OptimizationBudget}.");
        if (methods.Contains(BaselineNames.Optimization) && OptimizationBudget < Samples)
            throw new FormatException($"--optimization-budget ({OptimizationBudget}) must be at least --samples ({Samples}): the optimisation returns its best distinct simulated designs.");
        Ranking.Validate();
        if (MaxSimulations > 0 && MaxSimulations < Samples)
            throw new FormatException($"--max-simulations ({MaxSimulations}) must be 0 or at least --samples ({Samples}): every returned design is simulated.");
        if (Data is not null && !File.Exists(Data)) throw new FormatException($"--data: file '{Data}' does not exist.");
        if (Stack is not null && !File.Exists(Stack)) throw new FormatException($"--stack: file '{Stack}' does not exist.");
        if (ShardOption.Check(Shard) is { } shardError) throw new FormatException(shardError);
        if (Baselines is not null && File.Exists(Baselines)) throw new FormatException($"--baselines '{Baselines}' is a file; name a folder for the trained baselines.");
        if (string.IsNullOrWhiteSpace(Out)) throw new FormatException("--out DIR is required: the folder for the report.");
        if (File.Exists(Path.GetFullPath(Out))) throw new FormatException($"--out '{Out}' is a file; name a folder for the report.");
        OutputFolder.CheckWritable("--out", Out, Out);
    }
}
