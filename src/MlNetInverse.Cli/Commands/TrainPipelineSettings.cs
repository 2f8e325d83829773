using System.ComponentModel;
using MlNetInverse.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>Options of <c>train --pipeline</c>: the whole chain from a pipeline JSON into an output folder.</summary>
internal sealed class TrainPipelineSettings : CliSettings
{
    [CommandOption("--pipeline <FILE>")]
    [Description("Required. The training pipeline JSON (e.g. pipelines/quick.json for the CPU, pipelines/paper.json for the paper's settings on a GPU).")]
    public string? Pipeline { get; set; }

    [CommandOption("--out <DIR>")]
    [Description("Folder for the artifacts: model.zip, latents.parquet, grids, metrics.json, and the per-stage state that lets a rerun resume. Default artifacts.")]
    public string Out { get; set; } = "artifacts";

    [CommandOption("--device <DEVICE>")]
    [Description("Overrides the pipeline's device: cpu, cuda or auto.")]
    public string? Device { get; set; }

    [CommandOption("--overwrite")]
    [Description("Train into --out even when its stages were finished (or checkpointed) with other settings, which are then trained again, or when it holds files that are no training output. Without it those are refused; the same pipeline resumes and reuses without it.")]
    public bool Overwrite { get; set; }

    [CommandOption("--threads <N>")]
    [Description("Overrides the pipeline's torch threads for training (0 = all cores), also its threads_when_idle: every stage then runs at this count.")]
    public int? Threads { get; set; }

    [CommandOption("--code-prior")]
    [Description("Also run the pipeline's code prior stage (its 'prior' section, enabled): model-prior.zip, the model's chain with a masked code prior drawing the latents; the report then generates from it. About 20 min more on 2 cores; a finished run's other stages are reused.")]
    public bool CodePrior { get; set; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrWhiteSpace(Pipeline)) return ValidationResult.Error("--pipeline FILE.json is required (e.g. pipelines/quick.json).");
        if (!File.Exists(Pipeline)) return ValidationResult.Error($"--pipeline: file '{Pipeline}' does not exist.");
        if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out DIR must name a folder.");
        if (File.Exists(Out)) return ValidationResult.Error($"--out '{Out}' is a file; name a folder for the artifacts.");
        try
        {
            OutputFolder.CheckWritable("--out", Out, Out);
        }
        catch (FormatException e)
        {
            return ValidationResult.Error(e.Message);
        }
        if (Device is not null && Device.ToLowerInvariant() is not ("cpu" or "cuda" or "auto"))
            return ValidationResult.Error($"--device must be cpu, cuda or auto; got '{Device}'.");
        if (Threads is < 0) return ValidationResult.Error($"--threads must be 0 (all cores) or at least 1; got {Threads}.");
        return ValidationResult.Success();
    }
}
