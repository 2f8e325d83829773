using System.ComponentModel;
using MlNetInverse.Cli.Output;
using MlNetInverse.Models.Devices;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>Options every <c>train</c> command shares: the dataset, the model zip, seed, device and threads.</summary>
internal abstract class TrainSettings : CliSettings
{
    [CommandOption("--data <FILE>")]
    [Description("Required. The dataset (.parquet, written by 'data generate'): images, absorption labels and the optical stack.")]
    public string? Data { get; set; }

    [CommandOption("--out <FILE>")]
    [Description("Required. The model zip to write (.zip, ML.NET model with the TorchSharp weights inside). A per-epoch checkpoint FILE.checkpoint next to it lets an interrupted run resume.")]
    public string? Out { get; set; }

    [CommandOption("--seed <SEED>")]
    [Description("Seed of the held-out split, weight init, shuffles and everything else random. Default 0.")]
    public long Seed { get; set; }

    [CommandOption("--device <DEVICE>")]
    [Description("cpu, cuda (fails without a CUDA build and GPU) or auto (CUDA when available, else the CPU). Default cpu.")]
    public string Device { get; set; } = "cpu";

    [CommandOption("--threads <N>")]
    [Description("Torch threads for training (and RCWA workers where simulated). Default 0: torch's own setting (all cores).")]
    public int Threads { get; set; }

    /// <summary>The parsed <see cref="Device"/>.</summary>
    public ComputeDevice ComputeDevice => OptionValues.Device(Device);

    public override ValidationResult Validate()
    {
        try
        {
            ValidateCommon();
            ValidateCommand();
        }
        catch (FormatException e)
        {
            return ValidationResult.Error(e.Message);
        }
        return ValidationResult.Success();
    }

    /// <summary>Command-specific checks; throw <see cref="FormatException"/> naming the option.</summary>
    protected abstract void ValidateCommand();

    /// <summary>An existing file with the given extension, for option <paramref name="option"/>.</summary>
    protected static void RequireFile(string option, string? path, string extension)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new FormatException($"{option} FILE{extension} is required.");
        if (!path.EndsWith(extension, StringComparison.OrdinalIgnoreCase)) throw new FormatException($"{option} must name a {extension} file; got '{path}'.");
        if (!File.Exists(path)) throw new FormatException($"{option}: file '{path}' does not exist.");
    }

    /// <summary>A number in (0, 1) for option <paramref name="option"/>.</summary>
    protected static void RequireFraction(string option, double value)
    {
        if (!(value > 0 && value < 1)) throw new FormatException($"{option} must be a fraction between 0 and 1 (exclusive); got {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}.");
    }

    private void ValidateCommon()
    {
        RequireFile("--data", Data, ".parquet");
        if (string.IsNullOrWhiteSpace(Out)) throw new FormatException("--out FILE.zip is required.");
        if (!Out.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)) throw new FormatException($"--out must name a .zip file; got '{Out}'.");
        if (Directory.Exists(Out)) throw new FormatException($"--out '{Out}' is a folder; name a .zip file.");
        OutputFolder.CheckWritable("--out", Out, Path.GetDirectoryName(Path.GetFullPath(Out))!);
        OptionValues.Device(Device);
        if (Threads < 0) throw new FormatException($"--threads must be 0 (torch's setting) or at least 1; got {Threads}.");
    }

}
