using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML;
using MlNetInverse.ML.CodePrior;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Latents;
using MlNetInverse.ML.Mdn;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.Training;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Runtime;
using MlNetInverse.Physics.Storage;
using MlNetInverse.Workflows.Data;
using MlNetInverse.Workflows.Generation;

namespace MlNetInverse.Workflows.Pipelines;

/// <summary>
/// The stages of <c>train --pipeline</c>: surrogate, VQ-VAE (absorption loss through the surrogate), latents Parquet,
/// MDN + the one generation model zip. Each stage writes its artifact atomically and records itself in
/// <see cref="PipelineState"/>; a stage already finished with the same fingerprint is loaded instead of trained, and a
/// trainer interrupted mid-stage resumes from its per-epoch checkpoint.
/// </summary>
internal sealed class TrainingStages
{
    private readonly MLContext _mlContext = new(seed: 0);
    private readonly TrainingPipeline _pipeline;
    private readonly TrainingArtifacts _artifacts;
    private readonly PipelineState _state;
    private readonly MicrostructureDataset _dataset;
    private readonly HeldOutSplit _split;
    private readonly string _dataFingerprint;
    private readonly TrainingRunOptions _options;
    private readonly CancellationToken _cancellation;

    public TrainingStages(TrainingPipeline pipeline, TrainingArtifacts artifacts, MicrostructureDataset dataset, string dataFingerprint,
        TrainingRunOptions options, CancellationToken cancellation)
    {
        _pipeline = pipeline;
        _artifacts = artifacts;
        _dataset = dataset;
        _dataFingerprint = dataFingerprint;
        _options = options;
        _cancellation = cancellation;
        // A VQ-VAE that cannot fit is refused before any stage runs, not after the surrogate has trained.
        if (dataset.Records.Count > 0)
            Models.VqVae.VqVaeTrainer.CheckMemory(pipeline.Vqvae.NetworkOptions(dataset.Records[0].Map.Size), pipeline.Vqvae.Batch);
        _state = PipelineState.Load(artifacts.Folder);
        _split = HeldOutSplit.Of(dataset.Records.Count, pipeline.HeldOut, pipeline.Seed);
        Training = DatasetRows.View(_mlContext, dataset.Records, _split.Training);
        HeldOut = DatasetRows.View(_mlContext, dataset.Records, _split.HeldOut);
    }

    /// <summary>Latent file column: the surrogate's absorption of each training image's decoded, binarized reconstruction.</summary>
    public const string DecodedAbsorption = "DecodedAbsorption";

    private const string Reconstruction = "BinarizedReconstruction";

    /// <summary>The training split (every stage trains on it only).</summary>
    public IDataView Training { get; }

    /// <summary>The held-out split (test metrics only).</summary>
    public IDataView HeldOut { get; }

    public HeldOutSplit Split => _split;

    public PipelineState State => _state;

    /// <summary>Where the stages report their progress bars (null: nowhere).</summary>
    public IProgress<TrainingProgress>? Progress => _options.Progress;

    /// <summary>The name of the stage running now (both names while two run side by side), for the cancellation message.</summary>
    public string Current { get; private set; } = "setup";

    // Set while the surrogate and the VQ-VAE train side by side: the stages then leave Current as it is.
    private bool _sideBySide;

    /// <summary>True when the VQ-VAE's loss has the absorption term (beta &gt; 0): its stage then needs the trained surrogate.</summary>
    public bool VqVaeReadsSurrogate => _pipeline.Vqvae.Beta > 0;

    /// <summary>
    /// Whether stages 1 and 2 train side by side: the VQ-VAE does not read the surrogate and two trainers at the
    /// pipeline's torch threads fit on this machine's cores (the CPU pipeline: beta 0, 1 thread, 2 cores).
    /// </summary>
    public bool TrainsSideBySide => !VqVaeReadsSurrogate && 2 * Threads <= Environment.ProcessorCount;

    /// <summary>
    /// Stages 1 and 2. When <see cref="TrainsSideBySide"/>, each on its own thread: on 2 cores at 1 torch thread each the
    /// two longest stages take the time of one. Each trainer draws only from its own seeded streams, so the models are
    /// those of one stage after the other. A stage that fails lets the other run to its end (its artifact is kept for
    /// the rerun), then its exception is thrown.
    /// </summary>
    public (AbsorptionSurrogateTransformer Surrogate, VqVaeTransformer VqVae) SurrogateAndVqVae()
    {
        if (!TrainsSideBySide)
        {
            var surrogate = Surrogate();
            try
            {
                return (surrogate, VqVae(surrogate));
            }
            catch
            {
                surrogate.Dispose();
                throw;
            }
        }
        Current = "surrogate and vqvae";
        _sideBySide = true;
        try
        {
            // The surrogate gets its own context: the two fits share only the (read-only) training view.
            var surrogateStage = SideStage("surrogate", "vqvae", () => Surrogate(new MLContext(seed: 0)));
            var vqVaeStage = SideStage("vqvae", "surrogate", () => VqVae(surrogate: null));
            try
            {
                Task.WaitAll(surrogateStage, vqVaeStage);
            }
            catch (AggregateException)
            {
                if (surrogateStage.IsCompletedSuccessfully) surrogateStage.Result.Dispose();
                if (vqVaeStage.IsCompletedSuccessfully) vqVaeStage.Result.Dispose();
                var failures = new Task[] { surrogateStage, vqVaeStage }.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).ToArray();
                ExceptionDispatchInfo.Throw(failures.FirstOrDefault(e => e is not OperationCanceledException) ?? failures[0]);
            }
            return (surrogateStage.Result, vqVaeStage.Result);
        }
        finally
        {
            _sideBySide = false;
        }
    }

    private Task<T> SideStage<T>(string stage, string other, Func<T> train) =>
        Task.Factory.StartNew(() =>
        {
            try
            {
                return train();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _options.Log?.Report($"{stage} failed: {e.Message} The {other} stage runs to its end, so its work is kept for the rerun.");
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Enter(string stage)
    {
        if (!_sideBySide) Current = stage;
    }

    private int Threads => _pipeline.Threads;

    private string SurrogateFingerprint => TrainingPipeline.Fingerprint("surrogate", _dataFingerprint, _pipeline.Seed, _pipeline.HeldOut, _pipeline.Surrogate);

    // "/2": the VQ-VAE carries a volume fraction readout since then, so an earlier build's vqvae.zip is not reused.
    private string VqVaeFingerprint => TrainingPipeline.Fingerprint("vqvae/2", SurrogateFingerprint, _pipeline.Vqvae);

    private string LatentsFingerprint => TrainingPipeline.Fingerprint("latents/2", VqVaeFingerprint);

    // The model zip holds the screen, so its settings are part of this stage; one ranking (1 stratum, softness 0) adds
    // nothing, so artifacts from before the strata and the softness keep their fingerprint.
    private string MdnFingerprint => TrainingPipeline.Fingerprint(
    [
        "mdn", LatentsFingerprint, _pipeline.Mdn, _pipeline.Generation.Samples, _pipeline.Generation.Oversampling, _pipeline.Generation.Seed, _pipeline.Generation.Calibrate,
        .. _pipeline.Generation.VolumeFractionStrata == 1 ? Array.Empty<object>() : [_pipeline.Generation.VolumeFractionStrata],
        .. _pipeline.Generation.ScreenSoftness == 0 ? Array.Empty<object>() : ["softness", _pipeline.Generation.ScreenSoftness],
    ]);

    /// <summary>Stage 1: the absorption surrogate on the training split (its own held-out share for its test result).</summary>
    public AbsorptionSurrogateTransformer Surrogate() => Surrogate(_mlContext);

    private AbsorptionSurrogateTransformer Surrogate(MLContext context)
    {
        Enter("surrogate");
        var section = _pipeline.Surrogate;
        if (Done("surrogate", SurrogateFingerprint, _artifacts.Surrogate)) return Load(context, _artifacts.Surrogate, AbsorptionSurrogateTransformer.FindIn);
        var watch = Stopwatch.StartNew();
        var options = new AbsorptionSurrogateEstimatorOptions
        {
            Network = section.NetworkOptions(),
            Training = section.TrainingOptions() with
            {
                Seed = _pipeline.Seed, Device = _pipeline.ComputeDevice, Threads = Threads, CheckpointPath = _artifacts.Checkpoint("surrogate"),
            },
            CancellationToken = _cancellation,
        };
        var epochs = new EpochReporter<SurrogateEpochMetrics>(_options.Progress, "surrogate epoch", section.Epochs, m => m.Epoch,
            m => Text($"loss {m.TrainingLoss:F4}, held-out MAE {m.HeldOutMeanAbsoluteError:F4}"));
        options.Progress = epochs;
        var surrogate = context.Inverse().AbsorptionSurrogate(options).Fit(Training);
        context.Inverse().SaveModel(surrogate, Training.Schema, _artifacts.Surrogate);
        var heldOut = surrogate.HeldOut!;
        Finish("surrogate", SurrogateFingerprint, watch,
            new JsonObject { ["images"] = heldOut.Count, ["mae"] = Round(heldOut.MeanAbsoluteError), ["rmse"] = Round(heldOut.RootMeanSquaredError), ["r_squared"] = Round(heldOut.RSquared) },
            new JsonObject { ["epochs"] = section.Epochs, ["last_training_loss"] = Round(epochs.Last?.TrainingLoss ?? double.NaN) },
            Text($"held-out MAE {heldOut.MeanAbsoluteError:F4}, R^2 {heldOut.RSquared:F4}"));
        return surrogate;
    }

    /// <summary>
    /// Stage 2: the VQ-VAE with the absorption loss through <paramref name="surrogate"/> (null when the loss has no
    /// absorption term, <see cref="VqVaeReadsSurrogate"/>); held-out reconstruction metrics and grid.
    /// </summary>
    /// <exception cref="ArgumentNullException">No surrogate although the loss has the absorption term.</exception>
    public VqVaeTransformer VqVae(AbsorptionSurrogateTransformer? surrogate)
    {
        if (VqVaeReadsSurrogate) ArgumentNullException.ThrowIfNull(surrogate);
        Enter("vqvae");
        var section = _pipeline.Vqvae;
        if (Done("vqvae", VqVaeFingerprint, _artifacts.VqVae)) return Load(_artifacts.VqVae, VqVaeTransformer.FindIn);
        var watch = Stopwatch.StartNew();
        var options = new VqVaeEstimatorOptions
        {
            Network = section.NetworkOptions(_dataset.Records[0].Map.Size),
            Training = section.TrainingOptions() with
            {
                Seed = _pipeline.Seed, Device = _pipeline.ComputeDevice, Threads = Threads, CheckpointPath = _artifacts.Checkpoint("vqvae"),
            },
            Surrogate = surrogate,
            CancellationToken = _cancellation,
        };
        var epochs = new EpochReporter<EpochMetrics>(_options.Progress, "VQ-VAE epoch", section.Epochs, m => m.Epoch,
            m => Text($"R {m.ReconstructionError:F4}, pixel acc {m.PixelAccuracy:F3}, codes {m.CodesUsed}, {m.ImagesPerSecond:F0} img/s"));
        options.Progress = epochs;
        var vqVae = _mlContext.Inverse().VqVae(options).Fit(Training);
        _mlContext.Inverse().SaveModel(vqVae, Training.Schema, _artifacts.VqVae);
        VqVaeHeldOutEvaluation evaluation;
        using (new TorchThreadScope(1))
            evaluation = VqVaeHeldOutEvaluation.Of(_mlContext, vqVae, HeldOut);
        _options.WriteReconstructionGrid?.Invoke(new ReconstructionGrid(_artifacts.ReconstructionGrid, evaluation.Originals, evaluation.Reconstructions, _dataset.Records[0].Map.Size));
        var last = vqVae.TrainingSummary!.History[^1];
        Finish("vqvae", VqVaeFingerprint, watch,
            new JsonObject
            {
                ["images"] = evaluation.Count, ["pixel_accuracy"] = Round(evaluation.PixelAccuracy), ["reconstruction_mse"] = Round(evaluation.ReconstructionError),
                ["perplexity"] = Round(evaluation.Perplexity), ["codes_used"] = evaluation.CodesUsed,
                ["volume_fraction_readout_mae"] = evaluation.VolumeFractionReadoutMae is { } mae ? (JsonNode?)Round(mae) : null,
                ["volume_fraction_std"] = Round(evaluation.VolumeFractionStd),
            },
            new JsonObject
            {
                ["epochs"] = section.Epochs, ["last_pixel_accuracy"] = Round(last.PixelAccuracy), ["last_reconstruction_mse"] = Round(last.ReconstructionError),
                ["last_absorption_loss"] = Round(last.AbsorptionLoss ?? double.NaN), ["images_per_second"] = Round(last.ImagesPerSecond),
            },
            Text($"held-out pixel accuracy {evaluation.PixelAccuracy:F4}, perplexity {evaluation.Perplexity:F1}, {(evaluation.VolumeFractionReadoutMae is { } readoutError
                ? Text($"volume fraction readout MAE {readoutError:F4} (spread {evaluation.VolumeFractionStd:F4})")
                : "no volume fraction readout (designs cut at 0.5)")}"));
        return vqVae;
    }

    /// <summary>
    /// Stage 3: (Id, absorption, latent, code indices) of every training image into the latent Parquet file, with
    /// <see cref="DecodedAbsorption"/>: the surrogate's absorption of the image's decoded, binarized reconstruction.
    /// </summary>
    public void Latents(VqVaeTransformer vqVae, AbsorptionSurrogateTransformer surrogate)
    {
        Enter("latents");
        if (Done("latents", LatentsFingerprint, _artifacts.Latents)) return;
        var watch = Stopwatch.StartNew();
        int rowCount = _split.Training.Length;
        Report("latents", 0, rowCount, "latents");
        var options = new LatentExtractionOptions
        {
            Path = _artifacts.Latents, ExtraColumnNames = [DecodedAbsorption], Progress = new Reporter<long>(rows => Report("latents", rows, rowCount, "latents")),
            CancellationToken = _cancellation,
            Metadata = new Dictionary<string, string> { [MicrostructureDatasetFile.StackKey] = OpticalStackFile.ToJson(_dataset.Stack) },
        };
        LatentExtractionTransformer step;
        using (new TorchThreadScope(1))
        {
            var encoded = vqVae.Transform(Training);
            using var decoder = _mlContext.Inverse().VqVaeDecode(vqVae, Reconstruction, binarize: true).Fit(encoded);
            // The surrogate reads its own image column: point it at the binarized reconstruction (downstream only).
            var decoded = _mlContext.Transforms.CopyColumns(surrogate.ImageColumnName, Reconstruction).Fit(decoder.Transform(encoded));
            var judged = surrogate.Transform(decoded.Transform(decoder.Transform(encoded)));
            var labelled = _mlContext.Transforms.CopyColumns(DecodedAbsorption, surrogate.OutputColumnName).Fit(judged).Transform(judged);
            step = _mlContext.Inverse().ExtractLatents(options).Fit(labelled);
        }
        var file = _mlContext.Inverse().LoadLatents(_artifacts.Latents);
        var labels = file.GetColumn<float>(MicrostructureColumns.Absorption).ToArray();
        var decodedLabels = file.GetColumn<float>(DecodedAbsorption).ToArray();
        double bias = labels.Zip(decodedLabels, (a, d) => (double)d - a).Average();
        double mae = labels.Zip(decodedLabels, (a, d) => Math.Abs((double)d - a)).Average();
        int l = vqVae.Architecture.CodeDimension * vqVae.Architecture.LatentGridSize * vqVae.Architecture.LatentGridSize;
        Finish("latents", LatentsFingerprint, watch, [],
            new JsonObject { ["rows"] = step.RowCount, ["latent_dimension"] = l, ["decoded_absorption_bias"] = Round(bias), ["decoded_absorption_mae"] = Round(mae) },
            Text($"{step.RowCount} rows, L = {l}; decoded designs absorb {bias:+0.0000;-0.0000} on average against their labels (MAE {mae:F4}, surrogate)"));
    }

    /// <summary>
    /// Stage 4: the MDN on the latent file, then the generation model zip: GenerateMicrostructures fitted on the
    /// stages' VQ-VAE, surrogate and MDN with the pipeline's generation options (<see cref="TrainingPipeline.GenerationOptions"/>).
    /// </summary>
    public void Mdn(Func<VqVaeTransformer> vqVae, Func<AbsorptionSurrogateTransformer> surrogate)
    {
        Enter("mdn");
        var section = _pipeline.Mdn;
        var generation = _pipeline.Generation;
        if (Done("mdn", MdnFingerprint, _artifacts.Model)) return;
        var watch = Stopwatch.StartNew();
        var options = new MdnEstimatorOptions
        {
            LabelColumnName = section.LearnsDecodedAbsorption ? DecodedAbsorption : MicrostructureColumns.Absorption,
            TargetColumnName = MicrostructureColumns.Absorption,
            Network = section.NetworkOptions(),
            Training = section.TrainingOptions() with
            {
                Seed = _pipeline.Seed, Device = _pipeline.ComputeDevice, Threads = Threads, CheckpointPath = _artifacts.Checkpoint("mdn"),
                ThreadsWhenIdle = Threads > 0 ? _pipeline.ThreadsWhenIdle : 0,
            },
            SamplesPerTarget = generation.Samples * generation.Oversampling, SamplingSeed = generation.Seed, Stack = _dataset.Stack,
            CancellationToken = _cancellation,
        };
        var epochs = new EpochReporter<MdnEpochMetrics>(_options.Progress, "MDN epoch", section.Epochs, m => m.Epoch,
            m => Text($"NLL/dim training {m.TrainingNll / Math.Max(1, LatentCount()):F3}, held-out {m.HeldOutNll / Math.Max(1, LatentCount()):F3}"));
        options.Progress = epochs;
        TransformerChain<ITransformer> model;
        using (var trained = _mlContext.Inverse().Mdn(options).Fit(_mlContext.Inverse().LoadLatents(_artifacts.Latents)))
        {
            // The model zip is the output of the one generation estimator on the stages' pieces (its calibration draws
            // and decodes on one torch thread, so the zip does not depend on the machine's core count).
            var targets = GenerationTargets(trained.TargetColumnName);
            using (new TorchThreadScope(1))
                model = _mlContext.Inverse().GenerateMicrostructures(_pipeline.GenerationOptions(vqVae(), surrogate(), trained)).Fit(targets);
            _mlContext.Inverse().SaveModel(model, targets.Schema, _artifacts.Model);
        }
        using var chain = model;
        var mdn = MdnTransformer.FindIn(chain)!;
        var heldOut = mdn.HeldOut!;
        Finish("mdn", MdnFingerprint, watch,
            new JsonObject { ["pairs"] = heldOut.Count, ["nll"] = Round(heldOut.NegativeLogLikelihood), ["nll_per_dimension"] = Round(heldOut.NegativeLogLikelihoodPerDimension) },
            new JsonObject
            {
                ["epochs"] = section.Epochs, ["pairs"] = mdn.TrainingSummary!.Pairs - heldOut.Count, ["nll"] = Round(heldOut.TrainingNegativeLogLikelihood),
                ["training_absorption_range"] = new JsonArray(Round(mdn.TrainingAbsorptionMin), Round(mdn.TrainingAbsorptionMax)),
                ["noise_bands"] = mdn.Architecture.CorrelatedNoise && mdn.Architecture.NoiseBands > 1 ? mdn.Architecture.NoiseBands : null,
                ["calibration_surrogate_judged"] = mdn.Calibration is { } calibration
                    ? new JsonObject
                    {
                        ["conditions"] = new JsonArray(calibration.Conditions.Select(c => (JsonNode?)Round(c)).ToArray()),
                        ["mean_decoded_absorption"] = new JsonArray(calibration.Achieved.Select(a => (JsonNode?)Round(a)).ToArray()),
                    }
                    : null,
            },
            Text($"held-out NLL {heldOut.NegativeLogLikelihoodPerDimension:F3} nats per latent value{MdnDrawsSummary(mdn)}"));
    }

    private string PriorFingerprint => TrainingPipeline.Fingerprint("prior", MdnFingerprint, _pipeline.Seed, _pipeline.Prior);

    /// <summary>Whether the run ships model-prior.zip (the prior stage is enabled).</summary>
    public bool HasPrior => _pipeline.Prior.Enabled;

    /// <summary>The stages this run has, in run order: <see cref="TrainingMetrics.Stages"/>, then "prior" when it is enabled.</summary>
    public IReadOnlyList<string> Names => HasPrior ? [.. TrainingMetrics.Stages, "prior"] : TrainingMetrics.Stages;

    /// <summary>The zip the run's report generates from: model-prior.zip with the prior stage, else model.zip.</summary>
    public string ReportModel => HasPrior ? _artifacts.PriorModel : _artifacts.Model;

    /// <summary>
    /// Stage 5 (optional): a masked code prior fitted to the codes the model zip's VQ-VAE gives the training split, then
    /// model-prior.zip: the model zip's chain with the prior drawing its latents (its decoder, screen, draws and seed).
    /// The trainer keeps its own held-out tenth of the training split for the reported cross-entropy.
    /// </summary>
    public void Prior()
    {
        if (!HasPrior) return;
        Enter("prior");
        var section = _pipeline.Prior;
        if (Done("prior", PriorFingerprint, _artifacts.PriorModel)) return;
        var watch = Stopwatch.StartNew();
        var model = GenerationModel.Load(_mlContext, _artifacts.Model);
        var options = new CodePriorEstimatorOptions
        {
            Decoder = model.Decoder,
            Network = section.NetworkOptions(),
            Training = section.TrainingOptions() with { Seed = _pipeline.Seed, Threads = Threads, Device = _pipeline.ComputeDevice },
            SamplesPerTarget = model.Sampler.SamplesPerTarget, SamplingSeed = model.Sampler.SamplingSeed, Rounds = section.Rounds, Stack = model.Sampler.Stack,
            OutputColumnName = model.Sampler.OutputColumnName, InTrainingRangeColumnName = model.Sampler.InTrainingRangeColumnName,
            Progress = new Reporter<Models.CodePrior.CodePriorProgress>(p => Report("prior", p.Step, p.Steps,
                Text($"code prior step {p.Step}/{p.Steps}: loss {p.TrainingLoss:F3}{(double.IsNaN(p.HeldOutLoss) ? "" : Text($", held-out {p.HeldOutLoss:F3}"))}"))),
            CancellationToken = _cancellation,
        };
        // The latent file holds the training split's code grids and labels: what the MDN trained on.
        using var prior = _mlContext.Inverse().CodePrior(options).Fit(_mlContext.Inverse().LoadLatents(_artifacts.Latents));
        var heldOut = prior.HeldOut!;
        var withPrior = model.WithSampler(prior, section.Oversampling, section.VolumeFractionStrata);
        string screen = withPrior.Screen("draws") is { } phrase ? ", screened: " + phrase : "";
        using (withPrior.Model as IDisposable)
            _mlContext.Inverse().SaveModel(withPrior.Model, model.Targets([]).Schema, _artifacts.PriorModel);
        (model.Model as IDisposable)?.Dispose();
        Finish("prior", PriorFingerprint, watch,
            new JsonObject
            {
                ["grids"] = heldOut.Grids, ["cross_entropy"] = Round(heldOut.CrossEntropy), ["cross_entropy_without_label"] = Round(heldOut.CrossEntropyWithoutLabel),
                ["uniform"] = Round(heldOut.Uniform),
            },
            new JsonObject { ["steps"] = section.Steps, ["oversampling"] = withPrior.Oversampling, ["volume_fraction_strata"] = withPrior.ScreenVolumeFractionStrata },
            Text($"held-out {heldOut.CrossEntropy:F3} nats per masked cell ({heldOut.CrossEntropyWithoutLabel:F3} without the label, uniform {heldOut.Uniform:F3}); model-prior.zip draws with it{screen}"));
    }

    // What the draws can reach: the noise correlation's bands and, with calibration, the mean decoded absorption's range
    // (targets outside it come only from the tails of the draws).
    internal static string MdnDrawsSummary(MdnTransformer mdn)
    {
        var parts = new List<string>();
        if (mdn.Architecture.CorrelatedNoise)
            parts.Add(mdn.Architecture.NoiseBands > 1 ? $"noise correlation in {mdn.Architecture.NoiseBands} bands" : "one noise correlation");
        if (mdn.Calibration is { } calibration)
            parts.Add(FormattableString.Invariant($"calibrated draws reach {calibration.Achieved.Min():F3}-{calibration.Achieved.Max():F3} on average (surrogate)"));
        return parts.Count == 0 ? "" : "; " + string.Join("; ", parts);
    }

    /// <summary>Loads a stage's zip and finds its component.</summary>
    public T Load<T>(string path, Func<ITransformer, T?> find) where T : class => Load(_mlContext, path, find);

    private static T Load<T>(MLContext context, string path, Func<ITransformer, T?> find) where T : class =>
        find(context.Inverse().LoadModel(path, out _)) ?? throw new InvalidDataException($"'{path}' does not hold the expected component; delete it to retrain the stage.");

    private int LatentCount() => _pipeline.Vqvae.CodeDim * _pipeline.Vqvae.LatentGrid * _pipeline.Vqvae.LatentGrid;

    private IDataView GenerationTargets(string column) =>
        GenerationModel.TargetTable(_mlContext, column, _pipeline.Generation.Targets);

    private bool Done(string stage, string fingerprint, string artifact)
    {
        if (_state.Finished(stage, fingerprint) is null || !File.Exists(artifact))
        {
            // A stage finished here with other settings: retraining it would replace its artifact (and the stages after it).
            if (!_options.Overwrite && _state.Metrics(stage) is not null && File.Exists(artifact))
                throw new OutputExistsException(artifact, $"was made by stage '{stage}' with other settings (the pipeline or its dataset changed); training again replaces it");
            ForgetStaleCheckpoint(stage, fingerprint);
            return false;
        }
        Report($"{stage} (finished earlier, reused)", 1, 1, $"{stage} (finished earlier, reused)");
        return true;
    }

    /// <summary>
    /// A checkpoint left by an interrupted run of this stage with other settings cannot be resumed (the trainer refuses
    /// it); the pipeline knows the stage's settings changed, so it starts the stage over and says so. The fingerprint
    /// beside the checkpoint says which settings wrote it.
    /// </summary>
    private void ForgetStaleCheckpoint(string stage, string fingerprint)
    {
        string checkpoint = _artifacts.Checkpoint(stage), owner = checkpoint + ".fingerprint";
        if (File.Exists(checkpoint) && File.Exists(owner) && File.ReadAllText(owner).Trim() != fingerprint)
        {
            if (!_options.Overwrite)
                throw new OutputExistsException(checkpoint, $"is the checkpoint of an interrupted run of stage '{stage}' with other settings; starting the stage over discards it");
            File.Delete(checkpoint);
            _options.Log?.Report($"{stage}: the settings changed since its checkpoint was written; the stage starts over");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(checkpoint)!);
        AtomicFile.WriteAllText(owner, fingerprint);
    }

    private void Finish(string stage, string fingerprint, Stopwatch watch, JsonObject test, JsonObject training, string summary)
    {
        _state.Finish(stage, fingerprint, watch.Elapsed.TotalSeconds, new JsonObject { ["test"] = test, ["training"] = training });
        if (File.Exists(_artifacts.Checkpoint(stage))) File.Delete(_artifacts.Checkpoint(stage));
        if (File.Exists(_artifacts.Checkpoint(stage) + ".fingerprint")) File.Delete(_artifacts.Checkpoint(stage) + ".fingerprint");
        _options.Log?.Report(Text($"{stage}: done in {watch.Elapsed.TotalSeconds:F0} s; {summary}"));
    }

    private void Report(string task, double value, double maxValue, string description) =>
        _options.Progress?.Report(new TrainingProgress(task, value, maxValue, description));

    /// <summary>A metric for JSON: 6 decimals, or null when not finite (JSON has no NaN).</summary>
    private static double? Round(double value) => double.IsFinite(value) ? Math.Round(value, 6) : null;

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread (Progress&lt;T&gt; would post to a context).</summary>
    private sealed class Reporter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
