using System.Diagnostics;
using System.Text.Json.Nodes;
using MlNetInverse.Baselines;
using MlNetInverse.Baselines.GanMdn;
using MlNetInverse.Baselines.MdnInverse;
using MlNetInverse.Baselines.Optimization;
using MlNetInverse.Baselines.PcaMdn;
using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Storage;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// Makes the baselines of an evaluation: each generative baseline is trained on the training split (seeded with the
/// training pipeline's seed, never the evaluation seed), or loaded from the cache folder when a file there was trained
/// on the same dataset, split and settings (recorded in NAME.json beside NAME.bin; anything else is retrained and
/// overwritten; GAN-MDN also records the model, whose surrogate labels its samples). The optimisation baseline needs no training: it searches per target with RCWA on the evaluation's stack.
/// </summary>
internal sealed class BaselineProvider(
    BaselineSettings settings, TrainingReference training, EvaluationSplit split, string dataFingerprint, string modelFingerprint, IAbsorptionEvaluator labeller,
    OpticalStack stack, GrfParameterRanges ranges, int imageSize, int threads, string? cacheFolder, Action<string> log)
{
    private readonly Dictionary<string, BaselineTraining> _trainings = [];

    /// <summary>How each baseline created so far came to be.</summary>
    public IReadOnlyDictionary<string, BaselineTraining> Trainings => _trainings;

    /// <summary>The baseline called <paramref name="name"/>, trained or loaded.</summary>
    public IEvaluationMethod Create(string name, CancellationToken cancellationToken)
    {
        if (name == BaselineNames.Optimization)
        {
            _trainings[name] = new BaselineTraining(name, settings.Describe(name), "no training: a new search per target", 0);
            var options = new OptimizationInverseOptions
            {
                Ranges = ranges, ImageSize = imageSize,
                Optimizer = new BayesianOptimizationOptions { Budget = settings.OptimizationBudget, InitialPoints = settings.OptimizationInitialPoints },
            };
            return new OptimizationMethod(new OptimizationInverseMethod(options, stack, threads));
        }
        string fingerprint = Fingerprint(name);
        if (cacheFolder is not null && TryLoad(name, fingerprint) is { } cached) return new BaselineMethod(cached);

        log($"{name}: training on {split.Training.Length} training maps ({settings.Describe(name)})");
        var watch = Stopwatch.StartNew();
        var method = Train(name, cancellationToken);
        double seconds = watch.Elapsed.TotalSeconds;
        string source = "trained now on the training split";
        if (cacheFolder is not null)
        {
            Directory.CreateDirectory(cacheFolder);
            method.Save(File(name, ".bin"));
            AtomicFile.WriteAllText(File(name, ".json"), new JsonObject
            {
                ["fingerprint"] = fingerprint, ["method"] = name, ["settings"] = settings.Describe(name), ["training_seconds"] = Math.Round(seconds, 1),
                ["training_rows"] = split.Training.Length, ["split_seed"] = split.Seed, ["held_out_fraction"] = split.HeldOutFraction,
            }.ToJsonString(new() { WriteIndented = true }));
            source += $", saved to {File(name, ".bin")}";
        }
        _trainings[name] = new BaselineTraining(name, settings.Describe(name), source, seconds);
        log(Text($"{name}: trained in {seconds:F0} s"));
        return new BaselineMethod(method);
    }

    private IInverseDesignMethod Train(string name, CancellationToken cancellationToken)
    {
        var (images, absorption) = training.Arrays();
        var mdn = new MdnTrainingOptions { Epochs = settings.MdnEpochs };
        return name switch
        {
            BaselineNames.PcaMdn => new PcaMdnTrainer(new PcaMdnOptions
            {
                ImageSize = imageSize, Components = settings.PcaComponents, MdnTraining = mdn, Seed = split.Seed, Threads = 1,
            }).Train(images, absorption, cancellationToken: cancellationToken).Method,
            BaselineNames.GanMdn => new GanMdnTrainer(new GanMdnOptions
            {
                Gan = new GanOptions { ImageSize = imageSize, Epochs = settings.GanEpochs }, LabelledSamples = settings.GanLabelledSamples,
                MdnTraining = mdn, Seed = split.Seed, Threads = 1,
            }).Train(images, labeller, cancellationToken: cancellationToken).Method,
            BaselineNames.MdnInverse => new MdnInverseTrainer(new MdnInverseOptions
            {
                ImageSize = imageSize, Epochs = settings.MdnInverseEpochs, Seed = split.Seed, Threads = 1,
            }).Train(images, absorption, cancellationToken: cancellationToken).Method,
            _ => throw new ArgumentException($"'{name}' is not a trainable baseline.", nameof(name)),
        };
    }

    private IInverseDesignMethod? TryLoad(string name, string fingerprint)
    {
        string file = File(name, ".bin"), sidecar = File(name, ".json");
        if (!System.IO.File.Exists(file) || !System.IO.File.Exists(sidecar)) return null;
        var recorded = JsonNode.Parse(System.IO.File.ReadAllText(sidecar));
        if (recorded?["fingerprint"]?.GetValue<string>() != fingerprint)
        {
            log($"{name}: {file} was trained on other data, another split or other settings; retraining");
            return null;
        }
        var method = InverseDesignMethodFile.Load(file);
        double seconds = recorded["training_seconds"]?.GetValue<double>() ?? 0;
        _trainings[name] = new BaselineTraining(name, settings.Describe(name), Text($"loaded from {file} (trained earlier in {seconds:F0} s on the same training split)"), seconds);
        log($"{name}: loaded from {file}");
        return method;
    }

    // GAN-MDN's labels come from the model's surrogate, so its file also depends on the model.
    private string Fingerprint(string name) => Pipelines.TrainingPipeline.Fingerprint(
        "evaluation-baseline/1", name, settings.Describe(name), dataFingerprint, name == BaselineNames.GanMdn ? modelFingerprint : "", split.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        split.HeldOutFraction.ToString("R", System.Globalization.CultureInfo.InvariantCulture), imageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private string File(string name, string extension) => Path.Combine(cacheFolder!, name + extension);
}
