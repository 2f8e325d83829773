using System.ComponentModel;
using Microsoft.ML;
using MlNetInverse.Cli.Output;
using MlNetInverse.ML;
using MlNetInverse.ML.Onnx;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>export-onnx</c>: writes the generator of a model zip as ONNX: generator.onnx (latents → nearest codes → decoder →
/// probabilities, binarized images and surrogate absorption), generator.mdn.onnx (condition → mixture) and generator.json
/// (shapes, sampling seed, calibration, training range, SHA-256 of both graphs). Sampling stays in .NET.
/// </summary>
internal sealed class ExportOnnxCommand : Command<ExportOnnxCommand.Settings>
{
    private readonly CliOutput _output;

    public ExportOnnxCommand(CliOutput output) => _output = output;

    /// <summary>Options of <c>export-onnx</c>.</summary>
    public sealed class Settings : CliSettings
    {
        [CommandOption("--model <FILE>")]
        [Description("Required. A generation model zip from 'train --pipeline' (artifacts/model.zip).")]
        public string? Model { get; set; }

        [CommandOption("--out <FILE>")]
        [Description("Required. The decoder graph to write (.onnx); FILE.mdn.onnx and FILE.json are written next to it.")]
        public string? Out { get; set; }

        [CommandOption("--overwrite")]
        [Description("Replace files at --out (and its .mdn.onnx and .json) that are another model's export or no export at all; without it they are refused. Rerunning the same export needs no flag.")]
        public bool Overwrite { get; set; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Model)) return ValidationResult.Error("--model FILE.zip is required (e.g. artifacts/model.zip from 'train --pipeline').");
            if (!File.Exists(Model)) return ValidationResult.Error($"--model: file '{Model}' does not exist.");
            if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out FILE.onnx is required.");
            if (!Out.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) return ValidationResult.Error($"--out must name an .onnx file; got '{Out}'.");
            var folder = Path.GetDirectoryName(Path.GetFullPath(Out))!;
            if (!Directory.Exists(folder)) return ValidationResult.Error($"--out: folder '{folder}' does not exist.");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // The graph, the MDN graph and the manifest are written together, so all three must spare the model.
        OutputClaim.RefuseInputs("--out", OnnxGeneratorNames.MdnPath(settings.Out!), settings.Model);
        OutputClaim.RefuseInputs("--out", OnnxGeneratorNames.ManifestPath(settings.Out!), settings.Model);
        using var claim = OutputClaim.File(context, "--out", settings.Out!, settings.Model);
        var mlContext = new MLContext(seed: 0);
        var model = mlContext.Inverse().LoadModel(settings.Model!, out _);
        try
        {
            var files = OnnxGeneratorExport.Export(model, settings.Out!, settings.Overwrite);
            var manifest = OnnxGeneratorManifest.Load(files.Manifest);
            _output.Out.WriteLine($"decoder graph: {files.Decoder} ({new FileInfo(files.Decoder).Length / 1024} KiB; latents [batch, {manifest.LatentDimension}] -> images [batch, {manifest.ImageSize * manifest.ImageSize}], absorption [batch, 1])");
            _output.Out.WriteLine($"MDN graph:     {files.Mdn} ({new FileInfo(files.Mdn).Length / 1024} KiB; condition [batch, 1] -> {manifest.Components}-component mixture)");
            _output.Out.WriteLine($"manifest:      {files.Manifest} (sampling seed {manifest.SamplingSeed}, {(manifest.CalibrationConditions.Length > 0 ? "calibrated" : "uncalibrated")} MDN)");
            _output.Out.WriteLine($"score it without libtorch: {CliApp.Name} score --model {settings.Out} --engine onnx --in targets.parquet --out images.parquet");
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
        return CliErrors.Success;
    }
}
