using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.ML;
using MlNetInverse.Cli.Pipelines;
using MlNetInverse.Cli.Reports;
using MlNetInverse.Models.Devices;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>train --pipeline FILE --out DIR</c>: the main job. Trains everything from a dataset (surrogate, VQ-VAE with the
/// absorption loss, latents Parquet, MDN), writes the one generation model zip, the grids and metrics.json, and prints
/// where they are and a one-screen summary. Progress for every stage; Ctrl-C stops after the current step and a rerun
/// resumes (finished stages are reused, the interrupted one continues from its checkpoint).
/// </summary>
internal sealed class TrainPipelineCommand : AsyncCommand<TrainPipelineSettings>
{
    private readonly CliOutput _output;

    public TrainPipelineCommand(CliOutput output) => _output = output;

    public override async Task<int> ExecuteAsync(CommandContext context, TrainPipelineSettings settings, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var pipeline = TrainingPipeline.Load(settings.Pipeline!);
        if (settings.Device is { } device) pipeline = pipeline with { Device = device };
        if (settings.Threads is { } threads) pipeline = pipeline with { Threads = threads };
        DeviceResolver.Resolve(pipeline.ComputeDevice, out var notice);
        if (!File.Exists(pipeline.Data))
            throw new FileNotFoundException($"The pipeline's dataset '{pipeline.Data}' does not exist; make it with 'mlnet-inverse data generate'.", pipeline.Data);
        using var claim = OutputClaim.Folder(context, "--out", settings.Out, shard: null, settings.Pipeline, pipeline.Data);
        var artifacts = new TrainingArtifacts(Path.GetFullPath(settings.Out));
        var dataset = await MicrostructureDatasetFile.ReadAsync(pipeline.Data, cancellationToken);
        Directory.CreateDirectory(artifacts.Checkpoints);
        var stages = new TrainingStages(pipeline, artifacts, dataset, DataFingerprint(pipeline.Data), _output.Console, cancellationToken);

        var console = _output.Console;
        console.MarkupLineInterpolated($"pipeline '{pipeline.Name}': {stages.Split.Training.Length} training and {stages.Split.HeldOut.Length} held-out maps of '{pipeline.Data}' (seed {pipeline.Seed}), device {pipeline.Device}");
        if (notice is not null) console.MarkupLineInterpolated($"note: {notice}");
        GeneratedTarget[] generated = [];
        try
        {
            console.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(progress =>
                {
                    using var surrogate = stages.Surrogate(progress);
                    using var vqVae = stages.VqVae(progress, surrogate);
                    stages.Latents(progress, vqVae, surrogate);
                    stages.Mdn(progress, () => vqVae, () => surrogate);
                    generated = Generate(pipeline, artifacts, progress);
                });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _output.Error.WriteLine(
                $"cancelled during the {stages.Current} stage; finished stages and the checkpoint in '{artifacts.Folder}' are kept: rerun the same command to resume.");
            return CliErrors.Cancelled;
        }

        GenerationGridPng.Write(artifacts.GenerationGrid, generated.Select(g => g.Images).ToArray(), generated[0].ImageSize);
        var morphology = GeneratedMorphology.Compare(dataset, stages.Split, generated);
        TrainingReport.WriteMetrics(artifacts, settings.Pipeline!, pipeline, stages, generated, morphology, watch.Elapsed.TotalSeconds);
        TrainingReport.Print(_output, artifacts, pipeline, stages, generated, morphology, watch.Elapsed.TotalSeconds);
        foreach (var target in generated.Where(g => !g.InTrainingRange))
            _output.Error.WriteLine(Text($"warning: target {target.Target:0.###} lies outside the MDN's training absorption range; its designs are extrapolated."));
        return CliErrors.Success;
    }

    /// <summary>The report's designs, from the saved model zip loaded in a fresh context (what a user of the zip gets).</summary>
    private static GeneratedTarget[] Generate(TrainingPipeline pipeline, TrainingArtifacts artifacts, ProgressContext progress)
    {
        var task = progress.AddTask("generation (model.zip, fresh context)", maxValue: 1);
        using var single = new TorchThreadScope(1);
        var model = GenerationModel.Load(new MLContext(seed: 0), artifacts.Model);
        var generated = model.Generate(pipeline.Generation.Targets);
        task.Value = 1;
        return generated;
    }

    /// <summary>A hash of the dataset file's bytes: a changed dataset retrains every stage.</summary>
    private static string DataFingerprint(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream))[..16];
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
