using Microsoft.ML;
using MlNetInverse.Cli.Output;
using MlNetInverse.Cli.Progress;
using MlNetInverse.Cli.Reports;
using MlNetInverse.ML;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.Training;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Workflows.Data;
using MlNetInverse.Workflows.Pipelines;
using MlNetInverse.Workflows.Verification;
using Spectre.Console;
using Spectre.Console.Cli;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>train vqvae</c>: holds out a seeded share of the dataset, trains the VQ-VAE on the rest (absorption loss through
/// a given surrogate or one trained first), writes the ML.NET model zip atomically, and reports held-out metrics, a
/// reconstruction grid PNG next to the zip and, on request, an RCWA check of held-out reconstructions. Ctrl-C stops
/// after the current step; the per-epoch checkpoint next to the zip lets the same command resume.
/// </summary>
internal sealed class TrainVqVaeCommand : AsyncCommand<TrainVqVaeSettings>
{
    /// <summary>Held-out images shown in the reconstruction grid.</summary>
    public const int GridColumns = 8;

    private readonly CliOutput _output;

    public TrainVqVaeCommand(CliOutput output) => _output = output;

    /// <summary>The reconstruction grid written next to <paramref name="modelPath"/>: model.zip -> model.reconstructions.png.</summary>
    public static string GridPath(string modelPath) => Path.ChangeExtension(modelPath, ".reconstructions.png");

    public override async Task<int> ExecuteAsync(CommandContext context, TrainVqVaeSettings settings, CancellationToken cancellationToken)
    {
        using var claim = OutputClaim.File(context, "--out", settings.Out!, settings.Data, settings.Surrogate);
        var device = settings.ComputeDevice;
        DeviceResolver.Resolve(device, out var notice);
        var dataset = await MicrostructureDatasetFile.ReadAsync(settings.Data!, cancellationToken);
        var records = dataset.Records;
        var split = HeldOutSplit.Of(records.Count, settings.HeldOut, settings.Seed);
        var mlContext = new MLContext(seed: 0);
        var training = DatasetRows.View(mlContext, records, split.Training, withIds: false);
        var heldOut = DatasetRows.View(mlContext, records, split.HeldOut, withIds: false);
        var outPath = Path.GetFullPath(settings.Out!);
        var checkpoints = new[] { outPath + ".checkpoint", outPath + ".surrogate.checkpoint" };
        using var surrogate = settings.Surrogate is null ? null : LoadSurrogate(mlContext, settings.Surrogate);
        var options = Options(settings, device, surrogate, checkpoints, cancellationToken);
        // The estimator keeps this options object, so the progress reporters set below (inside the live display) are used.
        var estimator = mlContext.Inverse().VqVae(options);

        var console = _output.Console;
        string lossSource = !estimator.UsesAbsorptionLoss ? "off (--beta 0)" : surrogate is not null ? "given surrogate" : $"surrogate trained first ({settings.SurrogateEpochs} epochs)";
        console.MarkupLineInterpolated(
            $"training the VQ-VAE on {split.Training.Length} of {records.Count} maps ({split.HeldOut.Length} held out by seed {settings.Seed})");
        console.MarkupLineInterpolated(
            $"K={settings.CodebookSize}, D={settings.CodeDimension}, G={settings.LatentGrid}, {settings.Epochs} epochs on {settings.Device.ToLowerInvariant()}; absorption loss: {lossSource}");
        if (notice is not null) console.MarkupLineInterpolated($"note: {notice}");

        EpochProgress<EpochMetrics>? epochs = null;
        VqVaeTransformer vqVae;
        try
        {
            vqVae = console.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(progress =>
                {
                    if (options.SurrogateTraining is { } surrogateTraining)
                        surrogateTraining.Progress = new EpochProgress<SurrogateEpochMetrics>(
                            progress.AddTask("surrogate epoch", maxValue: surrogateTraining.Training.Epochs), "surrogate epoch", m => m.Epoch,
                            m => Text($"loss {m.TrainingLoss:F4}, held-out MAE {m.HeldOutMeanAbsoluteError:F4}, R^2 {m.HeldOutRSquared:F3}"));
                    epochs = new EpochProgress<EpochMetrics>(progress.AddTask("epoch", maxValue: settings.Epochs), "epoch", m => m.Epoch, Describe);
                    options.Progress = epochs;
                    return estimator.Fit(training);
                });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _output.Error.WriteLine(
                $"cancelled after {epochs?.Last?.Epoch ?? 0} of {settings.Epochs} epochs; the checkpoint next to '{outPath}' keeps them: rerun the same command to resume.");
            return CliErrors.Cancelled;
        }

        using (vqVae)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
            mlContext.Inverse().SaveModel(vqVae, training.Schema, outPath);
            foreach (var checkpoint in checkpoints) File.Delete(checkpoint);
            var evaluation = VqVaeHeldOutEvaluation.Of(mlContext, vqVae, heldOut);
            int shown = Math.Min(GridColumns, evaluation.Count);
            ReconstructionGridPng.Write(GridPath(outPath), evaluation.Originals.Take(shown).ToArray(), evaluation.Reconstructions.Take(shown).ToArray(), records[0].Map.Size);
            RcwaReconstructionCheck? rcwa = null;
            if (settings.RcwaCheck > 0)
            {
                int n = Math.Min(settings.RcwaCheck, evaluation.Count);
                console.MarkupLineInterpolated($"RCWA check: {n} held-out originals and reconstructions, stack '{dataset.Stack.Name}'");
                var originals = split.HeldOut.Take(n).Select(i => records[i].Map).ToArray();
                var labels = split.HeldOut.Take(n).Select(i => records[i].Absorption).ToArray();
                int threads = settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount;
                rcwa = RcwaReconstructionCheck.Run(dataset.Stack, originals, labels, evaluation.Reconstructions, threads, null, cancellationToken);
            }
            Report(settings, outPath, vqVae.TrainingSummary!, evaluation, rcwa);
        }
        return CliErrors.Success;
    }

    private static VqVaeEstimatorOptions Options(
        TrainVqVaeSettings settings, ComputeDevice device, AbsorptionSurrogateTransformer? surrogate, string[] checkpoints, CancellationToken cancellationToken) => new()
    {
        Network = new VqVaeOptions
        {
            CodebookSize = settings.CodebookSize, CodeDimension = settings.CodeDimension, LatentGridSize = settings.LatentGrid,
            HiddenChannels = settings.HiddenChannels, Architecture = settings.ParsedArchitecture,
        },
        Training = new VqVaeTrainingOptions
        {
            Epochs = settings.Epochs, BatchSize = settings.Batch, LearningRate = settings.LearningRate, Alpha = settings.Alpha, Beta = settings.Beta,
            Theta = settings.Theta, Seed = settings.Seed, Device = device, Threads = settings.Threads, CheckpointPath = checkpoints[0],
        },
        CancellationToken = cancellationToken,
        Surrogate = surrogate,
        SurrogateTraining = surrogate is null && settings.Beta > 0
            ? new AbsorptionSurrogateEstimatorOptions
            {
                Training = new SurrogateTrainingOptions
                {
                    Epochs = settings.SurrogateEpochs, Seed = settings.Seed, Device = device, Threads = settings.Threads, CheckpointPath = checkpoints[1],
                },
                CancellationToken = cancellationToken,
            }
            : null,
    };

    private static AbsorptionSurrogateTransformer LoadSurrogate(MLContext mlContext, string path) =>
        AbsorptionSurrogateTransformer.FindIn(mlContext.Inverse().LoadModel(path, out _))
        ?? throw new InvalidDataException($"--surrogate: '{path}' holds no absorption surrogate (train one with 'train surrogate').");

    private static string Describe(EpochMetrics m) =>
        Text($"R {m.ReconstructionError:F4}, pixel acc {m.PixelAccuracy:F3}, perplexity {m.Perplexity:F1}, codes {m.CodesUsed}")
        + (m.AbsorptionLoss is { } a ? Text($", A {a:F4}") : "") + Text($", {m.ImagesPerSecond:F0} img/s");

    /// <summary>Paths as raw lines (never wrapped), then the held-out test results, the training facts and the RCWA check as tables.</summary>
    private void Report(TrainVqVaeSettings settings, string outPath, VqVaeTrainingSummary summary, VqVaeHeldOutEvaluation heldOut, RcwaReconstructionCheck? rcwa)
    {
        _output.Out.WriteLine($"model: {outPath}");
        _output.Out.WriteLine($"reconstruction grid: {GridPath(outPath)} (rows: originals, reconstructions, binarized)");
        var test = Table("held-out test set");
        Row(test, "maps", Text($"{heldOut.Count} ({settings.HeldOut:P0}, seed {settings.Seed}; never trained on)"));
        Row(test, "pixel accuracy", Text($"{heldOut.PixelAccuracy:F4} (binarized at 0.5)"));
        Row(test, "reconstruction error", Text($"{heldOut.ReconstructionError:F5} (mean squared)"));
        Row(test, "perplexity", Text($"{heldOut.Perplexity:F1} of {settings.CodebookSize} codes"));
        Row(test, "codes used", Text($"{heldOut.CodesUsed} of {settings.CodebookSize}"));
        _output.Console.Write(test);

        var run = summary.History.Skip(summary.ResumedFromEpoch).ToArray();
        var last = summary.History[^1];
        var training = Table("training (not test results)");
        Row(training, "throughput", run.Length == 0 ? "n/a (all epochs resumed)" : Text($"{run.Average(e => e.ImagesPerSecond):F0} images/s on {summary.Device}"));
        Row(training, "epochs", Text($"{summary.History.Count} ({summary.ResumedFromEpoch} resumed)"));
        Row(training, "absorption loss", summary.SurrogateHeldOut is { } s
            ? Text($"{summary.AbsorptionLoss} (held-out R^2 {s.RSquared:F3})")
            : summary.AbsorptionLoss);
        Row(training, "last epoch", Text($"pixel accuracy {last.PixelAccuracy:F4}, error {last.ReconstructionError:F5}"));
        _output.Console.Write(training);

        if (rcwa is null) return;
        var physics = Table("RCWA check (held-out)");
        Row(physics, "maps", Text($"{rcwa.Count} originals, {rcwa.Count} binarized reconstructions"));
        Row(physics, "mean REP", Text($"{rcwa.MeanRep:F2} % (min {rcwa.MinRep:F2}, max {rcwa.MaxRep:F2})"));
        Row(physics, "originals vs labels", Text($"max |difference| {rcwa.MaxLabelDifference:E2}"));
        Row(physics, "simulation time", Text($"{rcwa.Seconds:F1} s"));
        _output.Console.Write(physics);
    }

    private static Table Table(string title) => new Table().HideHeaders().AddColumns("", "").Title(Markup.Escape(title));

    private static void Row(Table table, string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
}
