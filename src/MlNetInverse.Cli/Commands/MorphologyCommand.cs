using System.ComponentModel;
using System.Text.Json;
using Microsoft.ML;
using MlNetInverse.Cli.Progress;
using MlNetInverse.Models.CodePrior;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Runtime;
using MlNetInverse.Physics.Storage;
using MlNetInverse.Workflows.Evaluation;
using MlNetInverse.Workflows.Generation;
using Spectre.Console;
using Spectre.Console.Cli;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>morphology</c>: how often a model's designs meet the morphology bar, seed by seed and without RCWA (seconds per
/// seed), beside how often sets of the data itself meet it at the same size (<see cref="MorphologyAcrossSeeds"/>).
/// </summary>
internal sealed class MorphologyCommand : AsyncCommand<MorphologyCommand.Settings>
{
    private readonly CliOutput _output;

    public MorphologyCommand(CliOutput output) => _output = output;

    /// <summary>Options of <c>morphology</c>.</summary>
    public sealed class Settings : CliSettings
    {
        [CommandOption("--model <FILE>")]
        [Description("Required. A generation model zip from 'train --pipeline'; its metrics.json and latents.parquet beside it name the training split.")]
        public string? Model { get; set; }

        [CommandOption("--data <FILE>")]
        [Description("The model's training dataset (.parquet). Default: the file named in metrics.json beside the model, else data/microstructures.parquet of the repository.")]
        public string? Data { get; set; }

        [CommandOption("--targets <LIST>")]
        [Description("Target absorptions, comma-separated. Default: the paper's 0.55,0.6,0.65,0.7,0.75.")]
        public string? Targets { get; set; }

        [CommandOption("--samples <N>")]
        [Description("Designs per target and seed, as 'generate --count' makes them. Default 30 (train's own check).")]
        public int Samples { get; set; } = 30;

        [CommandOption("--seed <SEED>")]
        [Description("First seed of a --seeds count. Default 7 (as evaluate).")]
        public long? Seed { get; set; }

        [CommandOption("--seeds <LIST|COUNT>")]
        [Description("Seeds checked one by one: a list (7,8,9) or a count (20: --seed and the next 19). Default 20.")]
        public string Seeds { get; set; } = "20";

        [CommandOption("--pool <N>")]
        [Description("Also check sets that pool N consecutive seeds' designs, as 'evaluate --seeds' pools them (3 at --samples 30: sets of 90, judged against the tighter spread of 90). Default 1: each seed alone.")]
        public int Pool { get; set; } = 1;

        [CommandOption("--prior <FILE>")]
        [Description("Draw the designs from this code prior (from 'train prior --model' on the same zip) instead of the zip's MDN; the zip still decodes and screens them (its screen keeps an equal share from each of 3 volume fraction strata, as 'train prior' saves it).")]
        public string? Prior { get; set; }

        [CommandOption("--prior-rounds <N>")]
        [Description("Forward passes of the code prior (--prior or the zip's own) per grid (fewer: cheaper designs, each round fills more cells at once). Default 16.")]
        public int PriorRounds { get; set; } = MaskedCodePrior.DefaultRounds;

        [CommandOption("--out <FILE>")]
        [Description("Also write the counts, per target and per seed, to this JSON file.")]
        public string? Out { get; set; }

        [CommandOption("--overwrite")]
        [Description("Replace an existing --out file (refused without it).")]
        public bool Overwrite { get; set; }

        public IReadOnlyList<double> TargetList => Targets is null ? [0.55, 0.60, 0.65, 0.70, 0.75] : GenerateSettings.ParseTargets(Targets);

        public IReadOnlyList<long> SeedList => EvaluationSeeds.Parse(Seeds, Seed);

        public override ValidationResult Validate()
        {
            try
            {
                if (Model is null) return ValidationResult.Error("--model is required: a model zip from 'train --pipeline'.");
                if (!File.Exists(Model)) return ValidationResult.Error($"--model: file '{Model}' does not exist.");
                if (Data is not null && !File.Exists(Data)) return ValidationResult.Error($"--data: file '{Data}' does not exist.");
                if (Prior is not null && !File.Exists(Prior)) return ValidationResult.Error($"--prior: file '{Prior}' does not exist.");
                if (PriorRounds < 1) return ValidationResult.Error($"--prior-rounds must be at least 1; got {PriorRounds}.");
                if (Samples < 1) return ValidationResult.Error($"--samples must be at least 1 design per target; got {Samples}.");
                _ = TargetList;
                if (Pool < 1) return ValidationResult.Error($"--pool must be at least 1 seed per set; got {Pool}.");
                if (Pool > SeedList.Count) return ValidationResult.Error($"--pool {Pool} needs at least {Pool} seeds; --seeds gives {SeedList.Count}.");
                if (Out is not null && File.Exists(Out) && !Overwrite)
                    return ValidationResult.Error(new OutputExistsException(Out, "is an existing file").Message);
                return ValidationResult.Success();
            }
            catch (FormatException e)
            {
                return ValidationResult.Error(e.Message);
            }
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var model = GenerationModel.Load(new MLContext(seed: 0), settings.Model!);
        string dataPath = EvaluateCommand.ResolveData(settings.Data, settings.Model!);
        var (dataset, split) = await EvaluationSplit.ReadWithDatasetAsync(settings.Model!, dataPath, model.Decoder.ImageSize, cancellationToken);
        var training = split.Training.Select(i => dataset.Records[i]).ToArray();
        var targets = settings.TargetList;
        var seeds = settings.SeedList;
        _output.Out.WriteLine(Text($"morphology of {settings.Samples} designs per target ({string.Join(", ", targets.Select(ReportNumbers.Target))}) for each of {seeds.Count} seed(s) against the training maps within +-{MorphologyFidelitySection.Options.Window} of the target; {split.Check}"));
        foreach (var warning in targets.Select(t => model.OutOfRangeWarning(t)).OfType<string>()) _output.Error.WriteLine(warning);

        if (settings.Prior is { } priorPath)
        {
            using var prior = MaskedCodePrior.Load(priorPath, model.Decoder.Device);
            model = model.WithCodePrior(prior, settings.PriorRounds);
            _output.Out.WriteLine($"designs drawn from the code prior '{priorPath}' ({settings.PriorRounds} rounds per grid), decoded and screened by the zip");
        }
        else if (model.CodePrior is { } own)
        {
            if (settings.PriorRounds != own.Rounds) model = model.WithPriorRounds(settings.PriorRounds);
            _output.Out.WriteLine($"designs drawn from the zip's code prior ({settings.PriorRounds} rounds per grid)");
        }
        IReadOnlyList<IReadOnlyList<Microstructure>> Designs(long seed)
        {
            var seeded = model.With(settings.Samples, seed);
            // A prior runs on one intra-op thread, as the zip's draws for evaluate: its small per-grid work oversubscribes a busy machine.
            using var threads = seeded.CodePrior is null ? null : new TorchThreadScope(1);
            return seeded.Generate(targets).Select(g => g.Maps()).ToArray();
        }
        var result = MorphologyAcrossSeeds.Of(Designs, targets, seeds, training, new SynchronousProgress<string>(line => _output.Out.WriteLine(line)), cancellationToken,
            settings.Pool);
        foreach (var line in result.Lines()) _output.Out.WriteLine(line);
        if (settings.Out is { } path)
        {
            AtomicFile.WriteAllText(path, result.ToJson(Path.GetFullPath(settings.Model!), Path.GetFullPath(dataPath)).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            _output.Out.WriteLine($"written: {path}");
        }
        return CliErrors.Success;
    }
}
