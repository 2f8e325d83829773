using MlNetInverse.Cli.Output;
using MlNetInverse.Cli.Progress;
using MlNetInverse.Cli.Reports;
using MlNetInverse.Workflows.Pipelines;
using Spectre.Console;
using Spectre.Console.Cli;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>train --pipeline FILE --out DIR</c>: the main job. Trains everything from a dataset (surrogate, VQ-VAE with the
/// absorption loss, latents Parquet, MDN), writes the one generation model zip, the grids and metrics.json, and prints
/// where they are and a one-screen summary. Progress for every stage; Ctrl-C stops after the current step and a rerun
/// resumes (finished stages are reused, the interrupted one continues from its checkpoint). The training itself is
/// <see cref="TrainingRun"/>; this command parses, shows its progress and prints.
/// </summary>
internal sealed class TrainPipelineCommand : AsyncCommand<TrainPipelineSettings>
{
    private readonly CliOutput _output;

    public TrainPipelineCommand(CliOutput output) => _output = output;

    public override async Task<int> ExecuteAsync(CommandContext context, TrainPipelineSettings settings, CancellationToken cancellationToken)
    {
        var pipeline = TrainingPipeline.Load(settings.Pipeline!);
        if (settings.Device is { } device) pipeline = pipeline with { Device = device };
        if (settings.CodePrior) pipeline = pipeline with { Prior = pipeline.Prior with { Enabled = true } };
        // A count asked for on the command line is kept for the whole run, including the MDN stage.
        if (settings.Threads is { } threads) pipeline = pipeline with { Threads = threads, ThreadsWhenIdle = 0 };
        TrainingRun.Preflight(pipeline);
        using var claim = OutputClaim.Folder(context, "--out", settings.Out, shard: null, settings.Pipeline, pipeline.Data);
        var console = _output.Console;
        var options = new TrainingRunOptions
        {
            OutputFolder = settings.Out,
            Overwrite = settings.Overwrite,
            // Two stages may report at once (they train side by side): one line at a time.
            Log = new SynchronousProgress<string>(line =>
            {
                lock (console) console.MarkupLine(Markup.Escape(line));
            }),
            WriteReconstructionGrid = grid => ReconstructionGridPng.Write(grid.Path, grid.Originals.Take(TrainVqVaeCommand.GridColumns).ToArray(),
                grid.Reconstructions.Take(TrainVqVaeCommand.GridColumns).ToArray(), grid.ImageSize),
        };
        var run = await TrainingRun.OpenAsync(pipeline, options, cancellationToken);

        console.MarkupLineInterpolated($"pipeline '{pipeline.Name}': {run.TrainingImages} training and {run.HeldOutImages} held-out maps of '{pipeline.Data}' (seed {pipeline.Seed}), device {pipeline.Device}");
        if (run.DeviceNotice is { } notice) console.MarkupLineInterpolated($"note: {notice}");
        TrainingResult? result = null;
        try
        {
            console.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(progress =>
                {
                    options.Progress = new SpectreProgress(progress);
                    result = run.Run();
                });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _output.Error.WriteLine(
                $"cancelled during the {run.CurrentStage} stage; finished stages and the checkpoint in '{run.Artifacts.Folder}' are kept: rerun the same command to resume.");
            return CliErrors.Cancelled;
        }

        var generated = result!.Generated;
        GenerationGridPng.Write(result.Artifacts.GenerationGrid, generated.Select(g => g.Images).ToArray(), generated[0].ImageSize);
        TrainingReport.Print(_output, result);
        foreach (var target in generated.Where(g => !g.InTrainingRange))
            _output.Error.WriteLine(Text($"warning: target {target.Target:0.###} lies outside the MDN's training absorption range; its designs are extrapolated."));
        return CliErrors.Success;
    }

    /// <summary>
    /// Shows each <see cref="TrainingProgress"/> bar as a Spectre progress task (made on its first report); safe to call
    /// from the two stages that train side by side.
    /// </summary>
    private sealed class SpectreProgress(ProgressContext context) : IProgress<TrainingProgress>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = [];

        public void Report(TrainingProgress value)
        {
            lock (_tasks) Show(value);
        }

        private void Show(TrainingProgress value)
        {
            if (!_tasks.TryGetValue(value.Task, out var task))
                _tasks[value.Task] = task = context.AddTask(Markup.Escape(value.Description), maxValue: value.MaxValue);
            task.MaxValue = value.MaxValue;
            task.Value = value.Value;
            task.Description = Markup.Escape(value.Description);
        }
    }
}
