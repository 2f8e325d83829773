using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MlNetInverse.Models.CodePrior;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Storage;
using MlNetInverse.Workflows.Generation;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// The paper's Table I with the physics as judge, for a generation model zip: every method (the zip as the paper
/// samples it, as shipped and with verify-and-rank, the learning-free controls and the baselines trained on the model's
/// training split) generates designs per target and seed; every design is simulated with RCWA on the labels' stack and
/// scored by the model's surrogate. Cells are stored in OutputFolder/cells as they finish, so a rerun resumes and shards
/// share the work; once every cell is stored, report.md and report.json are written. <see cref="RunAsync"/> does it all
/// in one call; <see cref="OpenAsync"/> then <see cref="Run"/> lets a caller show the setup before the long part starts.
/// </summary>
public sealed class EvaluationRun
{
    private readonly Stopwatch _watch;

    private EvaluationRun(EvaluationSetup setup, IReadOnlyList<string> warnings, IProgress<string>? log, Stopwatch watch)
    {
        Setup = setup;
        Warnings = warnings;
        _log = log;
        _watch = watch;
    }

    private readonly IProgress<string>? _log;

    /// <summary>What the inputs resolved to (model, judge, data, split, methods, seeds).</summary>
    internal EvaluationSetup Setup { get; }

    /// <summary>
    /// What the caller should know before trusting the numbers: targets outside the MDN's training range, an
    /// evaluation seed equal to the training seed. One line each, starting "warning: ".
    /// </summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Stored cells of the evaluation (method x seed x target).</summary>
    public int CellCount => Setup.SeedCells.Count;

    /// <summary>Evaluates in one call: <see cref="OpenAsync"/>, the <see cref="Warnings"/> to the log, then <see cref="Run"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; finished cells are kept.</exception>
    public static async Task<EvaluationResult> RunAsync(EvaluationOptions options, CancellationToken cancellationToken = default)
    {
        var run = await OpenAsync(options, cancellationToken).ConfigureAwait(false);
        foreach (var warning in run.Warnings) options.Log?.Report(warning);
        return run.Run(cancellationToken);
    }

    /// <summary>Loads the model, the judge's stack and the dataset and rebuilds the model's split; writes nothing.</summary>
    /// <exception cref="ArgumentException">An option out of range; the message names it.</exception>
    /// <exception cref="FileNotFoundException">A file that does not exist, or no dataset given or named beside the model.</exception>
    /// <exception cref="InvalidDataException">The model holds no stack (and none given), or the dataset is not the model's.</exception>
    /// <exception cref="IOException">The output folder holds another evaluation or other files, and not <see cref="EvaluationOptions.Overwrite"/>.</exception>
    public static async Task<EvaluationRun> OpenAsync(EvaluationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var watch = Stopwatch.StartNew();
        Validate(options);
        var model = GenerationModel.Load(new MLContext(seed: 0), options.ModelPath);
        if (model.Mdn is null && options.Methods.Contains(EvaluationMethods.Paper))
            throw new ArgumentException(
                $"Method '{EvaluationMethods.Paper}' samples the zip's MDN as published, but '{options.ModelPath}' draws with a code prior (its '{EvaluationMethods.Proposed}' row is the prior's): leave '{EvaluationMethods.Paper}' out of the methods, or evaluate the MDN zip it was made from.",
                nameof(options));
        var stack = options.StackPath is { } stackPath ? OpticalStackFile.Load(stackPath) : model.Sampler.Stack
            ?? throw new InvalidDataException($"model '{options.ModelPath}' holds no optical stack (its training data carried none); pass the labels' stack with --stack FILE.json.");
        var dataPath = options.DataPath ?? RecordedDataset(options.ModelPath)
            ?? throw new FileNotFoundException($"no dataset given and no existing dataset named in metrics.json beside the model '{options.ModelPath}'; pass the model's training dataset.");
        var (dataset, split) = await EvaluationSplit.ReadWithDatasetAsync(options.ModelPath, dataPath, model.Decoder.ImageSize, cancellationToken).ConfigureAwait(false);
        var setup = new EvaluationSetup
        {
            ModelPath = Path.GetFullPath(options.ModelPath), ModelFingerprint = EvaluationSetup.FileFingerprint(options.ModelPath), Model = model, Stack = stack,
            DataPath = Path.GetFullPath(dataPath), DataFingerprint = EvaluationSetup.FileFingerprint(dataPath), Dataset = dataset, Split = split,
            Reference = new TrainingReference(dataset.Records, split), Targets = options.Targets.ToArray(), Methods = options.Methods.ToArray(), Samples = options.Samples,
            Seed = options.Seeds[0], Seeds = options.Seeds.ToArray(), JudgeCheck = options.JudgeCheck, Threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount,
            Baselines = new BaselineSettings { OptimizationBudget = options.OptimizationBudget }, Ranking = options.Ranking,
            BaselineCache = Path.GetFullPath(options.BaselineCache ?? Path.Combine(options.OutputFolder, "baselines")), Out = Path.GetFullPath(options.OutputFolder),
            Shard = options.Shard,
            Prior = options.Methods.Contains(EvaluationMethods.CodePrior) ? MaskedCodePrior.Load(options.PriorPath!, model.Decoder.Device) : null,
            PriorFingerprint = options.PriorPath is { } priorPath ? EvaluationSetup.FileFingerprint(priorPath) : null,
        };
        if (!options.Overwrite) EvaluationFolder.RefuseOther(setup);
        var warnings = new List<string>();
        warnings.AddRange(setup.Targets.Select(t => model.OutOfRangeWarning(t)).OfType<string>());
        if (setup.Seeds.Contains(split.Seed))
            warnings.Add(Text($"warning: the evaluation seed {split.Seed} equals the training seed; pass other seeds so evaluation draws are independent of training."));
        return new EvaluationRun(setup, warnings, options.Log, watch);
    }

    /// <summary>
    /// Computes the cells not stored yet (only the shard's share with <see cref="EvaluationOptions.Shard"/>) and, when
    /// every cell is stored, writes report.md and report.json.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; finished cells are kept.</exception>
    public EvaluationResult Run(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Setup.Out);
        using var runner = new CellRunner(Setup, line => _log?.Report(line));
        var stored = runner.Execute(cancellationToken);
        var cells = CellRunner.Pool(Setup, stored);
        int storedCount = stored.Count(c => c is not null);
        if (cells.Any(c => c is null)) return new EvaluationResult(Setup.Out, runner.Computed, storedCount, stored.Count, null);
        var report = new EvaluationReport(Setup, cells.Select(c => c!).ToArray(), _watch.Elapsed.TotalSeconds, runner.Computed);
        AtomicFile.WriteAllText(Path.Combine(Setup.Out, "report.md"), EvaluationMarkdown.Write(report));
        AtomicFile.WriteAllText(Path.Combine(Setup.Out, "report.json"), EvaluationJson.Write(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return new EvaluationResult(Setup.Out, runner.Computed, storedCount, stored.Count, report);
    }

    /// <summary>The dataset named in the metrics.json beside <paramref name="modelPath"/> when that file exists, else null.</summary>
    public static string? RecordedDataset(string modelPath)
    {
        var metrics = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, "metrics.json");
        return File.Exists(metrics) && JsonNode.Parse(File.ReadAllText(metrics))?["dataset"]?["file"]?.GetValue<string>() is { } recorded && File.Exists(recorded)
            ? recorded
            : null;
    }

    private static void Validate(EvaluationOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ModelPath)) throw new ArgumentException("EvaluationOptions.ModelPath must name the model zip.", nameof(options));
        if (string.IsNullOrWhiteSpace(options.OutputFolder)) throw new ArgumentException("EvaluationOptions.OutputFolder must name the report's folder.", nameof(options));
        if (options.Targets is not { Count: > 0 }) throw new ArgumentException("EvaluationOptions.Targets must hold at least one target absorption.", nameof(options));
        if (options.Methods is not { Count: > 0 }) throw new ArgumentException("EvaluationOptions.Methods must name at least one method.", nameof(options));
        if (options.Seeds is not { Count: > 0 }) throw new ArgumentException("EvaluationOptions.Seeds must hold at least one seed.", nameof(options));
        if (options.Samples < 1) throw new ArgumentException($"EvaluationOptions.Samples must be at least 1; got {options.Samples}.", nameof(options));
        foreach (var method in options.Methods)
            if (!EvaluationMethods.Known.Contains(method))
                throw new ArgumentException($"EvaluationOptions.Methods: unknown method '{method}'; use {string.Join(", ", EvaluationMethods.Known)}.", nameof(options));
        bool wantsPrior = options.Methods.Contains(EvaluationMethods.CodePrior);
        if (wantsPrior && options.PriorPath is null)
            throw new ArgumentException($"EvaluationOptions.Methods names {EvaluationMethods.CodePrior}, which needs EvaluationOptions.PriorPath (--prior FILE from 'train prior').", nameof(options));
        if (options.PriorPath is { } prior && !File.Exists(prior)) throw new FileNotFoundException($"The code prior '{prior}' does not exist.", prior);
        options.Ranking.Validate();
    }
}
