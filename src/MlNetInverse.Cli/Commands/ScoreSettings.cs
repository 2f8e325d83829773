using System.ComponentModel;
using MlNetInverse.ML.Scoring;
using MlNetInverse.Models.Devices;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>Options of <c>score</c>.</summary>
internal sealed class ScoreSettings : CliSettings
{
    [CommandOption("--model <FILE>")]
    [Description("Required. A generation model zip (artifacts/model.zip), or generator.onnx from 'export-onnx' (--engine onnx, no libtorch).")]
    public string? Model { get; set; }

    [CommandOption("--in <FILE>")]
    [Description("Required. Parquet file of target absorptions, one per row (float or double column, values in (0, 1]]).")]
    public string? In { get; set; }

    [CommandOption("--out <FILE>")]
    [Description("Required. Parquet file to write, one row per image: row, sample, target, in_training_range, predicted_absorption, image.")]
    public string? Out { get; set; }

    [CommandOption("--column <NAME>")]
    [Description("Target column of --in. Default: the first of target, absorption, Absorption, Target.")]
    public string? Column { get; set; }

    [CommandOption("--batch <N>")]
    [Description("Targets per block: one output row group and one resumable part each.")]
    [DefaultValue(4096)]
    public int Batch { get; set; } = 4096;

    [CommandOption("--samples <N>")]
    [Description("Images per target (MDN draws; draw n equals draw n of 'generate' without the surrogate screen).")]
    [DefaultValue(1)]
    public int Samples { get; set; } = 1;

    [CommandOption("--seed <SEED>")]
    [Description("Seed of the MDN draws. Default: the model's.")]
    public long? Seed { get; set; }

    [CommandOption("--engine <ENGINE>")]
    [Description("torch (TorchSharp) or onnx (ONNX Runtime; exported in memory from a zip, or generator.onnx).")]
    [DefaultValue("torch")]
    public string Engine { get; set; } = "torch";

    [CommandOption("--device <DEVICE>")]
    [Description("cpu, cuda (fails clearly without CUDA) or auto (CUDA when available, else the CPU with a notice).")]
    [DefaultValue("cpu")]
    public string Device { get; set; } = "cpu";

    [CommandOption("--threads <N>")]
    [Description("Intra-op threads of the engine.")]
    [DefaultValue(1)]
    public int Threads { get; set; } = 1;

    [CommandOption("--images <ENCODING>")]
    [Description("packed (512 bytes per 64x64 image, bits x-major, most significant first) or float (S*S floats 0/1).")]
    [DefaultValue("packed")]
    public string Images { get; set; } = "packed";

    [CommandOption("--no-absorption")]
    [Description("Skip the surrogate: no predicted_absorption column (faster).")]
    public bool NoAbsorption { get; set; }

    [CommandOption("--overwrite")]
    [Description("Replace an existing --out that is not a score output or holds scores of other settings (model, input, samples, seed, ...). Default off: such a file is refused.")]
    public bool Overwrite { get; set; }

    [CommandOption(ShardOption.Template)]
    [Description(ShardOption.Description + " A shard scores whole blocks of --in's rows, or all of --in's own shard file (IN.shard-000I-of-000N.parquet) when that exists.")]
    public string? Shard { get; set; }

    public ScoringEngine ScoringEngine => Engine.ToLowerInvariant() switch
    {
        "torch" => ScoringEngine.Torch,
        "onnx" => ScoringEngine.Onnx,
        _ => throw new FormatException($"--engine must be torch or onnx; got '{Engine}'."),
    };

    public ComputeDevice ComputeDevice => OptionValues.Device(Device);

    public ScoreImageEncoding ImageEncoding => Images.ToLowerInvariant() switch
    {
        "packed" => ScoreImageEncoding.Packed,
        "float" => ScoreImageEncoding.Float,
        _ => throw new FormatException($"--images must be packed or float; got '{Images}'."),
    };

    public override ValidationResult Validate()
    {
        try
        {
            if (string.IsNullOrWhiteSpace(Model)) throw new FormatException("--model is required: a model zip from 'train --pipeline' or generator.onnx from 'export-onnx'.");
            if (!File.Exists(Model)) throw new FormatException($"--model: file '{Model}' does not exist.");
            if (string.IsNullOrWhiteSpace(In)) throw new FormatException("--in FILE.parquet is required: the target absorptions.");
            if (string.IsNullOrWhiteSpace(Out)) throw new FormatException("--out FILE.parquet is required: where the images go.");
            if (!Out.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) throw new FormatException($"--out must name a .parquet file; got '{Out}'.");
            OptionValues.AtLeastOne("--batch", Batch);
            OptionValues.AtLeastOne("--samples", Samples);
            OptionValues.AtLeastOne("--threads", Threads);
            _ = ScoringEngine;
            _ = ComputeDevice;
            _ = ImageEncoding;
            if (ShardOption.Check(Shard) is { } shardError) throw new FormatException(shardError);
        }
        catch (FormatException e)
        {
            return ValidationResult.Error(e.Message);
        }
        return ValidationResult.Success();
    }
}
