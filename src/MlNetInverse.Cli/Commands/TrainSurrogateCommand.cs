using Microsoft.ML;
using MlNetInverse.Cli.Output;
using MlNetInverse.Cli.Progress;
using MlNetInverse.ML;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Workflows.Data;
using Spectre.Console;
using Spectre.Console.Cli;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>train surrogate</c>: trains the absorption surrogate CNN on a dataset, holding out a seeded share before anything
/// is learned, writes the ML.NET model zip atomically and reports the held-out MAE and R^2 (the zip keeps them).
/// Ctrl-C stops after the current step; the per-epoch checkpoint next to the zip lets the same command resume.
/// </summary>
internal sealed class TrainSurrogateCommand : AsyncCommand<TrainSurrogateSettings>
{
    private readonly CliOutput _output;

    public TrainSurrogateCommand(CliOutput output) => _output = output;

    public override async Task<int> ExecuteAsync(CommandContext context, TrainSurrogateSettings settings, CancellationToken cancellationToken)
    {
        using var claim = OutputClaim.File(context, "--out", settings.Out!, settings.Data);
        var device = settings.ComputeDevice;
        DeviceResolver.Resolve(device, out var notice);
        var dataset = await MicrostructureDatasetFile.ReadAsync(settings.Data!, cancellationToken);
        var records = dataset.Records;
        var mlContext = new MLContext(seed: 0);
        var data = DatasetRows.View(mlContext, records, Enumerable.Range(0, records.Count).ToArray(), withIds: false);
        var outPath = Path.GetFullPath(settings.Out!);
        string checkpoint = outPath + ".checkpoint";
        var options = new AbsorptionSurrogateEstimatorOptions
        {
            Network = new AbsorptionSurrogateOptions
            {
                BaseChannels = settings.BaseChannels, HiddenUnits = settings.HiddenUnits, SpectralShells = settings.SpectralShells,
            },
            Training = new SurrogateTrainingOptions
            {
                Epochs = settings.Epochs, BatchSize = settings.Batch, LearningRate = settings.LearningRate, HeldOutFraction = settings.HeldOut,
                Seed = settings.Seed, Device = device, Threads = settings.Threads, CheckpointPath = checkpoint,
            },
            CancellationToken = cancellationToken,
        };
        // The estimator keeps this options object, so the progress reporter set below (inside the live display) is used.
        var estimator = mlContext.Inverse().AbsorptionSurrogate(options);
        if (records.Count < 2)
            throw new InvalidOperationException($"the dataset has {records.Count} record(s); the surrogate needs at least 2 (one to train on, one to test).");

        var console = _output.Console;
        console.MarkupLineInterpolated(
            $"training the absorption surrogate on {records.Count} maps ({Text($"{settings.HeldOut:P0}")} held out by seed {settings.Seed})");
        console.MarkupLineInterpolated($"{settings.Epochs} epochs on {settings.Device.ToLowerInvariant()}");
        if (notice is not null) console.MarkupLineInterpolated($"note: {notice}");
        EpochProgress<SurrogateEpochMetrics>? epochs = null;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        AbsorptionSurrogateTransformer surrogate;
        try
        {
            surrogate = console.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(progress =>
                {
                    epochs = new EpochProgress<SurrogateEpochMetrics>(progress.AddTask("epoch", maxValue: settings.Epochs), "epoch", m => m.Epoch,
                        m => Text($"loss {m.TrainingLoss:F4}, held-out MAE {m.HeldOutMeanAbsoluteError:F4}, R^2 {m.HeldOutRSquared:F3}"));
                    options.Progress = epochs;
                    return estimator.Fit(data);
                });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _output.Error.WriteLine(
                $"cancelled after {epochs?.Last?.Epoch ?? 0} of {settings.Epochs} epochs; the checkpoint '{checkpoint}' keeps them: rerun the same command to resume.");
            return CliErrors.Cancelled;
        }

        using (surrogate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
            mlContext.Inverse().SaveModel(surrogate, data.Schema, outPath);
            File.Delete(checkpoint);
            var heldOut = surrogate.HeldOut!;
            _output.Out.WriteLine($"model: {outPath}");
            var table = new Table().HideHeaders().AddColumns("", "").Title("held-out test set");
            void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
            Row("maps", Text($"{heldOut.Count} ({settings.HeldOut:P0}, seed {settings.Seed}; never trained on)"));
            Row("MAE", Text($"{heldOut.MeanAbsoluteError:F5} (absorption)"));
            Row("RMSE", Text($"{heldOut.RootMeanSquaredError:F5} (absorption)"));
            Row("R^2", Text($"{heldOut.RSquared:F4}"));
            Row("training", Text($"{settings.Epochs} epochs in {watch.Elapsed.TotalSeconds:F1} s"));
            console.Write(table);
        }
        return CliErrors.Success;
    }
}
