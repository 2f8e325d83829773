using System.ComponentModel;
using Microsoft.ML;
using MlNetInverse.ML;
using MlNetInverse.Cli.Output;
using MlNetInverse.Models.CodePrior;
using MlNetInverse.Models.Devices;
using MlNetInverse.Physics.Storage;
using MlNetInverse.Workflows.Evaluation;
using MlNetInverse.Workflows.Generation;
using Spectre.Console;
using Spectre.Console.Cli;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>train prior</c>: fits a masked code prior (<see cref="MaskedCodePrior"/>) to the code grids a model zip's VQ-VAE
/// gives the zip's own training split (read from metrics.json beside the zip, so the held-out maps stay unseen), and
/// writes it atomically: as a generation model zip whose chain samples with the prior (<c>--out X.zip</c>: the zip's
/// decoder and screen after a <see cref="ML.CodePrior.CodePriorTransformer"/>, loadable with mlContext.Model.Load and
/// usable wherever a model zip is), or as the bare prior (<c>--out X.prior</c>) for <c>--prior</c> options.
/// <c>--from X.prior</c> skips training and wraps a prior trained earlier.
/// </summary>
internal sealed class TrainPriorCommand : AsyncCommand<TrainPriorCommand.Settings>
{
    private readonly CliOutput _output;

    public TrainPriorCommand(CliOutput output) => _output = output;

    /// <summary>Options of <c>train prior</c>.</summary>
    public sealed class Settings : CliSettings
    {
        private static readonly CodePriorOptions Network = new();
        private static readonly CodePriorTrainingOptions Run = new();

        [CommandOption("--model <FILE>")]
        [Description("Required. The generation model zip (from 'train --pipeline') whose VQ-VAE codes the prior learns; metrics.json beside it names the training split.")]
        public string? Model { get; set; }

        [CommandOption("--data <FILE>")]
        [Description("The model's training dataset (.parquet). Default: the file named in metrics.json beside the model, else data/microstructures.parquet.")]
        public string? Data { get; set; }

        [CommandOption("--out <FILE>")]
        [Description("Required. What to write, atomically: a generation model zip (.zip) whose chain draws with the prior, then decodes and screens as --model does; or the bare prior (.prior) for --prior options.")]
        public string? Out { get; set; }

        [CommandOption("--from <FILE>")]
        [Description("Wrap this prior (.prior, trained on --model) instead of training one; with --out X.zip.")]
        public string? From { get; set; }

        [CommandOption("--overwrite")]
        [Description("Replace an existing --out file (refused without it).")]
        public bool Overwrite { get; set; }

        [CommandOption("--oversampling <N>")]
        [Description("With --out X.zip: prior draws per design the zip's screen keeps (without a screen every draw is kept). Default: the zip's own.")]
        public int? Oversampling { get; set; }

        [CommandOption("--screen-strata <N>")]
        [Description("With --out X.zip: strata of volume fraction the screen keeps equal shares from. Default 3: one ranking over all the prior's draws moves its designs off the data's volume fraction.")]
        public int ScreenStrata { get; set; } = GenerationModel.CodePriorVolumeFractionStrata;

        [CommandOption("--steps <N>")]
        [Description("Optimiser steps. Default 8000 (about 20 min on 2 cores).")]
        public int Steps { get; set; } = Run.Steps;

        [CommandOption("--batch <N>")]
        [Description("Code grids per step. Default 64.")]
        public int Batch { get; set; } = Run.BatchSize;

        [CommandOption("--lr <RATE>")]
        [Description("Peak AdamW learning rate (warm-up, then cosine to 0). Default 0.001.")]
        public double LearningRate { get; set; } = Run.LearningRate;

        [CommandOption("--width <W>")]
        [Description("Embedding width of every cell. Default 96.")]
        public int Width { get; set; } = Network.Width;

        [CommandOption("--layers <N>")]
        [Description("Transformer blocks. Default 3.")]
        public int Layers { get; set; } = Network.Layers;

        [CommandOption("--heads <N>")]
        [Description("Attention heads per block (a divisor of --width). Default 4.")]
        public int Heads { get; set; } = Network.Heads;

        [CommandOption("--seed <SEED>")]
        [Description("Seed of the weights, the prior's own held-out share, batches and masks. Default 0.")]
        public long Seed { get; set; }

        [CommandOption("--device <DEVICE>")]
        [Description("cpu, cuda (fails without a CUDA build and GPU) or auto. Default cpu.")]
        public string Device { get; set; } = "cpu";

        [CommandOption("--threads <N>")]
        [Description("Torch threads for training. Default 0: torch's own setting (all cores).")]
        public int Threads { get; set; }

        public ComputeDevice ComputeDevice => OptionValues.Device(Device);

        /// <summary>Whether --out names a model zip (else a bare .prior file).</summary>
        public bool WritesZip => Out?.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) == true;

        public CodePriorOptions NetworkOptions => new() { Width = Width, Layers = Layers, Heads = Heads };

        public CodePriorTrainingOptions TrainingOptions => new()
        {
            Steps = Steps, BatchSize = Batch, LearningRate = LearningRate, Seed = Seed, Threads = Threads, Device = ComputeDevice,
        };

        public override ValidationResult Validate()
        {
            try
            {
                if (Model is null) return ValidationResult.Error("--model is required: a model zip from 'train --pipeline'.");
                if (!File.Exists(Model)) return ValidationResult.Error($"--model: file '{Model}' does not exist.");
                if (Data is not null && !File.Exists(Data)) return ValidationResult.Error($"--data: file '{Data}' does not exist.");
                if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out FILE.prior is required.");
                if (!WritesZip && !Out.EndsWith(".prior", StringComparison.OrdinalIgnoreCase)) return ValidationResult.Error($"--out must name a model zip (.zip) or a prior file (.prior); got '{Out}'.");
                if (From is not null && !WritesZip) return ValidationResult.Error("--from wraps a trained prior into a model zip: give --out FILE.zip.");
                if (From is not null && !File.Exists(From)) return ValidationResult.Error($"--from: file '{From}' does not exist.");
                if (Path.GetFullPath(Out) == Path.GetFullPath(Model)) return ValidationResult.Error("--out names the --model zip itself; write the prior's zip beside it.");
                if (File.Exists(Out) && !Overwrite) return ValidationResult.Error(new OutputExistsException(Out, "is an existing file").Message);
                if (Oversampling < 1) return ValidationResult.Error($"--oversampling must be at least 1 prior draw per kept design; got {Oversampling}.");
                if (ScreenStrata < 1) return ValidationResult.Error($"--screen-strata must be at least 1 (1: one ranking over all draws); got {ScreenStrata}.");
                if (Threads < 0) return ValidationResult.Error($"--threads must be 0 (torch's setting) or at least 1; got {Threads}.");
                _ = ComputeDevice;
                NetworkOptions.Validate();
                TrainingOptions.Validate();
                return ValidationResult.Success();
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                return ValidationResult.Error(Option(e.Message));
            }
        }

        // The options' own messages name their C# property; the command line knows them by the flag.
        private static string Option(string message) => message
            .Replace("CodePriorOptions.Width", "--width").Replace("CodePriorOptions.Layers", "--layers").Replace("CodePriorOptions.Heads", "--heads")
            .Replace("CodePriorTrainingOptions.Steps", "--steps").Replace("CodePriorTrainingOptions.BatchSize", "--batch")
            .Replace("CodePriorTrainingOptions.LearningRate", "--lr");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var claim = OutputClaim.File(context, "--out", settings.Out!, settings.Model, settings.Data, settings.From);
        DeviceResolver.Resolve(settings.ComputeDevice, out var notice);
        var mlContext = new MLContext(seed: 0);
        var model = GenerationModel.Load(mlContext, settings.Model!);
        if (settings.From is { } from)
        {
            using var trained = MaskedCodePrior.Load(from, settings.ComputeDevice);
            WriteZip(mlContext, model, trained, settings);
            return CliErrors.Success;
        }
        string dataPath = EvaluateCommand.ResolveData(settings.Data, settings.Model!);
        var (dataset, split) = await EvaluationSplit.ReadWithDatasetAsync(settings.Model!, dataPath, model.Decoder.ImageSize, cancellationToken);
        var training = split.Training.Select(i => dataset.Records[i]).ToArray();
        var (codes, absorption) = CodePriorDesigns.EncodeTraining(model, training);
        var vqVae = model.Decoder.VqVae;
        var network = settings.NetworkOptions with { CodebookSize = vqVae.Quantizer.CodebookSize, GridSize = vqVae.Options.LatentGridSize };
        _output.Out.WriteLine(Text(
            $"code prior: {training.Length} code grids ({network.GridSize} x {network.GridSize} of {network.CodebookSize} codes) of the model's training split; {split.Check}"));
        _output.Out.WriteLine(Text($"{settings.Steps} steps of {settings.Batch} grids, width {network.Width}, {network.Layers} blocks, {network.Heads} heads, seed {settings.Seed}, on {settings.Device.ToLowerInvariant()}"));
        if (notice is not null) _output.Out.WriteLine($"note: {notice}");
        var progress = new Progress.SynchronousProgress<CodePriorProgress>(p => _output.Out.WriteLine(Text(
            $"step {p.Step}/{p.Steps}: loss {p.TrainingLoss:F3}{(double.IsNaN(p.HeldOutLoss) ? "" : $", held-out {p.HeldOutLoss:F3}")} nats per masked cell, {p.Elapsed.TotalSeconds:F0} s")));
        CodePriorTrainingResult result;
        try
        {
            result = new CodePriorTrainer(network, settings.TrainingOptions).Train(codes, absorption, progress, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _output.Error.WriteLine("cancelled; nothing was written.");
            return CliErrors.Cancelled;
        }
        using (result.Prior)
        {
            if (settings.WritesZip) WriteZip(mlContext, model, result.Prior, settings);
            else
            {
                var outPath = Path.GetFullPath(settings.Out!);
                Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
                result.Prior.Save(outPath);
                _output.Out.WriteLine($"prior: {outPath}");
            }
            var table = new Table().HideHeaders().AddColumns("", "").Title("held-out code grids (nats per masked cell)");
            void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
            Row("grids", Text($"{result.HeldOutGrids} of the training split held out by seed {settings.Seed}; never trained on"));
            Row("with the label", Text($"{result.HeldOutLoss:F3}"));
            Row("without it", Text($"{result.UnlabelledHeldOutLoss:F3}"));
            Row("uniform guess", Text($"{result.UniformLoss:F3} (ln {network.CodebookSize})"));
            Row("training", Text($"{result.TrainingLoss:F3} over the last steps; {settings.Steps} steps in {result.Elapsed.TotalSeconds:F0} s"));
            _output.Console.Write(table);
        }
        return CliErrors.Success;
    }

    /// <summary>
    /// Saves <paramref name="model"/>'s chain with <paramref name="prior"/> drawing its latents (its decoder, screen, draws
    /// per target and seed kept) to --out with mlContext.Model.Save, atomically.
    /// </summary>
    private void WriteZip(MLContext mlContext, GenerationModel model, MaskedCodePrior prior, Settings settings)
    {
        var withPrior = model.WithCodePrior(prior, oversampling: settings.Oversampling, volumeFractionStrata: settings.ScreenStrata);
        var outPath = Path.GetFullPath(settings.Out!);
        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
        mlContext.Inverse().SaveModel(withPrior.Model, model.Targets([]).Schema, outPath);
        (withPrior.Model as IDisposable)?.Dispose();
        _output.Out.WriteLine(Text($"model: {outPath} (the chain of '{settings.Model}' with the code prior in place of its MDN: {withPrior.DesignsPerTarget} designs per target{(withPrior.Screen("draws") is { } screen ? ", screened: " + screen : "")}, {withPrior.CodePrior!.Rounds} rounds per grid)"));
        // evaluate and morphology rebuild the held-out split from metrics.json and latents.parquet beside the zip they are given.
        string modelFolder = Path.GetDirectoryName(Path.GetFullPath(settings.Model!))!;
        if (Path.GetDirectoryName(outPath) != modelFolder && File.Exists(Path.Combine(modelFolder, "metrics.json")))
            _output.Out.WriteLine(Text($"note: metrics.json and latents.parquet stay beside '{settings.Model}'; write the prior's zip into '{modelFolder}' for evaluate and morphology to find the model's split (elsewhere they assume the quick pipeline's)."));
    }
}
