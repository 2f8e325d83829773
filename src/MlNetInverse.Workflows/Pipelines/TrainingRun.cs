using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.ML;
using MlNetInverse.Models.Devices;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Runtime;
using MlNetInverse.Physics.Storage;
using MlNetInverse.Workflows.Generation;

namespace MlNetInverse.Workflows.Pipelines;

/// <summary>
/// One run of a <see cref="TrainingPipeline"/>: surrogate, VQ-VAE with the absorption loss, latents Parquet, MDN, then
/// the one generation model zip, its designs for the pipeline's targets (generated from the saved zip in a fresh
/// context, as a user of the zip gets them), their morphology against the data and metrics.json. Finished stages are
/// recorded in the output folder: a rerun with the same settings reuses them, and an interrupted stage resumes from its
/// per-epoch checkpoint. <see cref="RunAsync"/> does it all in one call; <see cref="OpenAsync"/> then <see cref="Run"/>
/// lets a caller show the split before the long part starts.
/// </summary>
public sealed class TrainingRun
{
    private readonly TrainingStages _stages;
    private readonly MicrostructureDataset _dataset;
    private readonly Stopwatch _watch;

    private TrainingRun(TrainingPipeline pipeline, TrainingArtifacts artifacts, MicrostructureDataset dataset, TrainingStages stages, string? deviceNotice, Stopwatch watch)
    {
        Pipeline = pipeline;
        Artifacts = artifacts;
        _dataset = dataset;
        _stages = stages;
        DeviceNotice = deviceNotice;
        _watch = watch;
    }

    /// <summary>The pipeline this run trains.</summary>
    public TrainingPipeline Pipeline { get; }

    /// <summary>Where the artifacts go.</summary>
    public TrainingArtifacts Artifacts { get; }

    /// <summary>Dataset images every stage trains on (the seeded split's training share).</summary>
    public int TrainingImages => _stages.Split.Training.Length;

    /// <summary>Dataset images held out from every stage for the test results.</summary>
    public int HeldOutImages => _stages.Split.HeldOut.Length;

    /// <summary>Why the device differs from the one asked for (e.g. "auto" chose the CPU), or null.</summary>
    public string? DeviceNotice { get; }

    /// <summary>
    /// The stage running now ("setup", "surrogate", "vqvae", "latents", "mdn", or "surrogate and vqvae" while those two
    /// train side by side), e.g. for a cancellation message.
    /// </summary>
    public string CurrentStage => _stages.Current;

    internal TrainingStages Stages => _stages;

    /// <summary>Trains <paramref name="pipeline"/> into <see cref="TrainingRunOptions.OutputFolder"/> in one call.</summary>
    /// <exception cref="FileNotFoundException">The pipeline's dataset does not exist.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; finished stages and the checkpoint are kept.</exception>
    public static async Task<TrainingResult> RunAsync(TrainingPipeline pipeline, TrainingRunOptions? options = null, CancellationToken cancellationToken = default) =>
        (await OpenAsync(pipeline, options, cancellationToken).ConfigureAwait(false)).Run();

    /// <summary>
    /// Checks the device, reads the dataset, splits it and checks that the VQ-VAE fits in memory, before any stage
    /// runs. <paramref name="cancellationToken"/> also stops the stages of <see cref="Run"/>.
    /// </summary>
    /// <exception cref="FormatException">A setting out of range; the message names its key (e.g. 'surrogate.epochs').</exception>
    /// <exception cref="FileNotFoundException">The pipeline's dataset does not exist.</exception>
    /// <exception cref="OutputExistsException">The output folder holds files that are no training output, and not <see cref="TrainingRunOptions.Overwrite"/>.</exception>
    public static async Task<TrainingRun> OpenAsync(TrainingPipeline pipeline, TrainingRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        options ??= new TrainingRunOptions();
        var watch = Stopwatch.StartNew();
        pipeline.Validate();
        string? notice = Preflight(pipeline);
        var artifacts = new TrainingArtifacts(Path.GetFullPath(options.OutputFolder));
        if (!options.Overwrite) OutputFolderContents.RefuseForeign(artifacts.Folder, artifacts.IsOwn, "train --pipeline");
        var dataset = await MicrostructureDatasetFile.ReadAsync(pipeline.Data, cancellationToken).ConfigureAwait(false);
        var stages = new TrainingStages(pipeline, artifacts, dataset, DataFingerprint(pipeline.Data), options, cancellationToken);
        // Only now, after every check: a refused run leaves no folder behind.
        Directory.CreateDirectory(artifacts.Checkpoints);
        return new TrainingRun(pipeline, artifacts, dataset, stages, notice, watch);
    }

    /// <summary>
    /// The checks of <see cref="OpenAsync"/> that need no file read: the device resolves and the dataset exists.
    /// Returns the device notice.
    /// </summary>
    /// <exception cref="FileNotFoundException">The pipeline's dataset does not exist.</exception>
    internal static string? Preflight(TrainingPipeline pipeline)
    {
        DeviceResolver.Resolve(pipeline.ComputeDevice, out var notice);
        if (!File.Exists(pipeline.Data))
            throw new FileNotFoundException($"The pipeline's dataset '{pipeline.Data}' does not exist; make it with 'mlnet-inverse data generate'.", pipeline.Data);
        return notice;
    }

    /// <summary>Runs every stage not finished yet, generates the report's designs and writes metrics.json.</summary>
    /// <exception cref="OperationCanceledException">The token given to <see cref="OpenAsync"/> fired; finished stages and the checkpoint are kept.</exception>
    public TrainingResult Run()
    {
        var (surrogate, vqVae) = _stages.SurrogateAndVqVae();
        using (surrogate)
        using (vqVae)
        {
            _stages.Latents(vqVae, surrogate);
            _stages.Mdn(() => vqVae, () => surrogate);
        }
        _stages.Prior();
        var (generated, sampling) = Generate();
        var morphology = GeneratedMorphology.Compare(_dataset, _stages.Split, generated);
        var result = new TrainingResult(Pipeline, Artifacts, generated, sampling, _stages, morphology, _watch.Elapsed.TotalSeconds);
        TrainingMetrics.Write(result);
        return result;
    }

    /// <summary>
    /// The report's designs, from the shipped model zip loaded in a fresh context (what a user of the zip gets):
    /// model-prior.zip when the prior stage runs, else model.zip; and how that zip draws and screens them.
    /// </summary>
    private (GeneratedTarget[] Designs, string Sampling) Generate()
    {
        string zip = _stages.ReportModel;
        string task = $"generation ({Path.GetFileName(zip)}, fresh context)";
        var progress = _stages.Progress;
        progress?.Report(new TrainingProgress(task, 0, 1, task));
        using var single = new TorchThreadScope(1);
        var model = GenerationModel.Load(new MLContext(seed: 0), zip);
        var generated = model.Generate(Pipeline.Generation.Targets);
        progress?.Report(new TrainingProgress(task, 1, 1, task));
        string draws = $"{model.Sampler.SamplerName} draws";
        return (generated, model.Screen($"{draws} by the surrogate") ?? $"{model.DesignsPerTarget.ToString(System.Globalization.CultureInfo.InvariantCulture)} {draws}");
    }

    /// <summary>A hash of the dataset file's bytes: a changed dataset retrains every stage.</summary>
    private static string DataFingerprint(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream))[..16];
    }
}
