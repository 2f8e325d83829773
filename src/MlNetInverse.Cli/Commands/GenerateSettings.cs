using System.ComponentModel;
using System.Globalization;
using MlNetInverse.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>Options of <c>generate</c>.</summary>
internal sealed class GenerateSettings : CliSettings
{
    [CommandOption("--model <FILE>")]
    [Description("Required. A generation model zip from 'train --pipeline' (artifacts/model.zip).")]
    public string? Model { get; set; }

    [CommandOption("--target <ABSORPTION>")]
    [Description("One target absorption in (0, 1]], e.g. 0.65.")]
    public double? Target { get; set; }

    [CommandOption("--targets <LIST>")]
    [Description("Several targets, comma-separated, e.g. 0.55,0.6,0.65,0.7,0.75 (instead of --target).")]
    public string? Targets { get; set; }

    [CommandOption("--count <N>")]
    [Description("Designs per target. Default: the model's (30 for the shipped pipelines).")]
    public int? Count { get; set; }

    [CommandOption("--out <DIR>")]
    [Description("Required. Folder for one PNG per design (target-0.650/design-00.png ...), grid.png (one row per target) and designs.csv.")]
    public string? Out { get; set; }

    [CommandOption("--seed <SEED>")]
    [Description("Seed of the draws (a target's designs depend only on it and the target). Default: the model's.")]
    public long? Seed { get; set; }

    [CommandOption("--prior <FILE>")]
    [Description("Draw the designs from this code prior (from 'train prior --model' on the same zip) instead of the zip's MDN; the zip still decodes, cuts and screens them (its screen keeps an equal share from each of 3 volume fraction strata, as 'train prior' saves it).")]
    public string? Prior { get; set; }

    [CommandOption("--verify")]
    [Description("Simulate every design with RCWA on the stack stored in the model and print REP per design and min/mean/std per target.")]
    public bool Verify { get; set; }

    [CommandOption("--verify-rank")]
    [Description("Verify and rank: draw --count x --oversample designs from the model's sampler (MDN or code prior), rank them by the surrogate, simulate the best with RCWA and return those within --tolerance-percent (or the best found); prints the simulations spent.")]
    public bool VerifyRank { get; set; }

    [CommandOption("--oversample <M>")]
    [Description("--verify-rank: MDN draws per returned design. Default 8.")]
    public int Oversample { get; set; } = 8;

    [CommandOption("--tolerance-percent <T>")]
    [Description("--verify-rank: REP (percent) a design must meet under RCWA. Default 1.")]
    public double TolerancePercent { get; set; } = 1.0;

    [CommandOption("--calibration-simulations <N>")]
    [Description("--verify-rank: RCWA simulations of the first round, after which (and after every later round) the surrogate is corrected by its mean offset from RCWA on the designs simulated so far before the rest are ranked again. Default 8; 0: no correction.")]
    public int CalibrationSimulations { get; set; } = 8;

    [CommandOption("--max-simulations <N>")]
    [Description("--verify-rank: RCWA simulations per target at most. Default 0: twice the designs per target.")]
    public int MaxSimulations { get; set; }

    [CommandOption("--stack <FILE>")]
    [Description("A stack JSON for --verify / --verify-rank instead of the one stored in the model.")]
    public string? Stack { get; set; }

    [CommandOption("--overwrite")]
    [Description("Write into --out even when it holds files that are no output of 'generate' (refused without it). An earlier generate run there is replaced as one unit without it.")]
    public bool Overwrite { get; set; }

    [CommandOption("--threads <N>")]
    [Description("RCWA workers for --verify / --verify-rank. Default 0: one per core.")]
    public int Threads { get; set; }

    [CommandOption(ShardOption.Template)]
    [Description("--verify: simulate only shard I of N (1-based, e.g. 3/4) of the designs (a contiguous share in target order) into OUT/rcwa/; a run without --shard simulates whatever no shard stored and writes the designs and the REP table. Default: from SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1 of SLURM_ARRAY_TASK_COUNT inside a Slurm array job, else every design; 'none' ignores Slurm.")]
    public string? Shard { get; set; }

    /// <summary>The parsed targets, in the order given.</summary>
    public IReadOnlyList<double> TargetList => Target is { } one ? [one] : ParseTargets(Targets!);

    /// <summary>The verify-and-rank settings.</summary>
    public Workflows.Evaluation.VerifiedRankingOptions Ranking => new() { Oversample = Oversample, TolerancePercent = TolerancePercent, MaxSimulations = MaxSimulations, CalibrationSimulations = CalibrationSimulations };

    public override ValidationResult Validate()
    {
        try
        {
            Check();
        }
        catch (FormatException e)
        {
            return ValidationResult.Error(e.Message);
        }
        return ValidationResult.Success();
    }

    private void Check()
    {
        if (string.IsNullOrWhiteSpace(Model)) throw new FormatException("--model FILE.zip is required (e.g. artifacts/model.zip from 'train --pipeline').");
        if (!File.Exists(Model)) throw new FormatException($"--model: file '{Model}' does not exist.");
        if (Target is null && Targets is null) throw new FormatException("give a target absorption with --target 0.65 or several with --targets 0.55,0.6,0.65.");
        if (Target is not null && Targets is not null) throw new FormatException("give either --target or --targets, not both.");
        if (Target is { } target) CheckTarget("--target", target);
        else ParseTargets(Targets!);
        if (Count is { } count && count < 1) throw new FormatException($"--count must be at least 1 design per target; got {count}.");
        if (Prior is not null && !File.Exists(Prior)) throw new FormatException($"--prior: file '{Prior}' does not exist.");
        if (VerifyRank)
        {
            if (Verify) throw new FormatException("give either --verify (judge every design) or --verify-rank (rank, then judge the best), not both.");
            try
            {
                Ranking.Validate();
            }
            catch (ArgumentException e)
            {
                throw new FormatException(e.Message);
            }
            if (MaxSimulations > 0 && Count is { } designs && MaxSimulations < designs)
                throw new FormatException($"--max-simulations ({MaxSimulations}) must be 0 or at least --count ({designs}): every returned design is simulated.");
        }
        if (ShardOption.Check(Shard) is { } shardError) throw new FormatException(shardError);
        if (Shard is not null && !string.Equals(Shard.Trim(), ShardOption.None, StringComparison.OrdinalIgnoreCase) && !Verify)
            throw new FormatException("--shard splits the RCWA simulations of --verify; add --verify (verify-and-rank on a cluster: 'evaluate --methods proposed+rank --shard I/N').");
        if (Threads < 0) throw new FormatException($"--threads must be 0 (one per core) or at least 1; got {Threads}.");
        if (Stack is not null && !File.Exists(Stack)) throw new FormatException($"--stack: file '{Stack}' does not exist.");
        if (string.IsNullOrWhiteSpace(Out)) throw new FormatException("--out DIR is required: the folder for the generated designs.");
        if (File.Exists(Path.GetFullPath(Out))) throw new FormatException($"--out '{Out}' is a file; name a folder for the designs.");
        OutputFolder.CheckWritable("--out", Out, Out);
    }

    /// <summary>How a target names its files and folders (<c>target-0.650/</c>, <c>designs-0.650.png</c>): three decimals.</summary>
    internal static string TargetName(double target) => target.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>Parses a comma-separated list of distinct target absorptions (each in (0, 1]).</summary>
    /// <exception cref="FormatException">
    /// A value that is not a number or not a target, or two targets that share a file name (their designs would
    /// overwrite each other); the message names them.
    /// </exception>
    internal static IReadOnlyList<double> ParseTargets(string text)
    {
        var values = new List<double>();
        var names = new Dictionary<string, string>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                throw new FormatException($"--targets: '{part}' is not a number; write a list like 0.55,0.6,0.65.");
            CheckTarget("--targets", value);
            string name = TargetName(value);
            if (names.TryGetValue(name, out var earlier))
                throw new FormatException(values.Contains(value)
                    ? $"--targets: {part} is given twice; give each target once."
                    : $"--targets: {earlier} and {part} would share the output name {name} (names carry three decimals, so one target's designs would overwrite the other's); give targets that differ in the first three decimals.");
            names[name] = part;
            values.Add(value);
        }
        return values;
    }

    private static void CheckTarget(string option, double value)
    {
        if (!(value > 0 && value <= 1))
            throw new FormatException($"{option}: {value.ToString("R", CultureInfo.InvariantCulture)} is not a target absorption; it must be a number in (0, 1], e.g. 0.65.");
    }
}
