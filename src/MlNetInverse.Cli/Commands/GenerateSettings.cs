using System.ComponentModel;
using System.Globalization;
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
    [Description("Seed of the MDN draws (a target's designs depend only on it and the target). Default: the model's.")]
    public long? Seed { get; set; }

    [CommandOption("--verify")]
    [Description("Simulate every design with RCWA on the stack stored in the model and print REP per design and min/mean/std per target.")]
    public bool Verify { get; set; }

    [CommandOption("--stack <FILE>")]
    [Description("A stack JSON for --verify instead of the one stored in the model.")]
    public string? Stack { get; set; }

    [CommandOption("--threads <N>")]
    [Description("RCWA workers for --verify. Default 0: one per core.")]
    public int Threads { get; set; }

    /// <summary>The parsed targets, in the order given.</summary>
    public IReadOnlyList<double> TargetList => Target is { } one ? [one] : ParseTargets(Targets!);

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
        if (Threads < 0) throw new FormatException($"--threads must be 0 (one per core) or at least 1; got {Threads}.");
        if (Stack is not null && !File.Exists(Stack)) throw new FormatException($"--stack: file '{Stack}' does not exist.");
        if (string.IsNullOrWhiteSpace(Out)) throw new FormatException("--out DIR is required: the folder for the generated designs.");
        if (File.Exists(Path.GetFullPath(Out))) throw new FormatException($"--out '{Out}' is a file; name a folder for the designs.");
        OutputFolder.CheckWritable("--out", Out, Out);
    }

    private static IReadOnlyList<double> ParseTargets(string text)
    {
        var values = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                throw new FormatException($"--targets: '{part}' is not a number; write a list like 0.55,0.6,0.65.");
            CheckTarget("--targets", value);
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
