using MlNetInverse.Baselines;
using MlNetInverse.Baselines.Controls;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Storage;
using MlNetInverse.Workflows.Generation;
using MlNetInverse.Workflows.Verification;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>Everything an evaluation run was resolved to before any work: model, judge, data, split, methods and seeds.</summary>
internal sealed record EvaluationSetup
{
    public required string ModelPath { get; init; }

    /// <summary>SHA-256 prefix of the model zip: stored cells and cached GAN-MDN baselines belong to this model.</summary>
    public required string ModelFingerprint { get; init; }

    public required GenerationModel Model { get; init; }

    /// <summary>The RCWA judge's stack (the labels' own, from the model zip, unless --stack).</summary>
    public required OpticalStack Stack { get; init; }

    public required string DataPath { get; init; }

    /// <summary>SHA-256 prefix of the dataset file.</summary>
    public required string DataFingerprint { get; init; }

    public required MicrostructureDataset Dataset { get; init; }

    public required EvaluationSplit Split { get; init; }

    public required TrainingReference Reference { get; init; }

    public required IReadOnlyList<double> Targets { get; init; }

    public required IReadOnlyList<string> Methods { get; init; }

    /// <summary>Designs per target and method.</summary>
    public required int Samples { get; init; }

    /// <summary>The first evaluation seed (of <see cref="Seeds"/>).</summary>
    public required long Seed { get; init; }

    /// <summary>Every evaluation seed; each cell pools their designs. Default: <see cref="Seed"/> alone.</summary>
    public IReadOnlyList<long> Seeds
    {
        get => _seeds ?? [Seed];
        init => _seeds = value;
    }

    private readonly IReadOnlyList<long>? _seeds;

    /// <summary>Designs per cell and seed re-simulated at the settings next to the judge's (0: no check).</summary>
    public int JudgeCheck { get; init; }

    /// <summary>RCWA workers.</summary>
    public required int Threads { get; init; }

    public required BaselineSettings Baselines { get; init; }

    public required VerifiedRankingOptions Ranking { get; init; }

    /// <summary>The code prior of <see cref="EvaluationMethods.CodePrior"/> (owned by the run), or null when that method is not asked for.</summary>
    public Models.CodePrior.MaskedCodePrior? Prior { get; init; }

    /// <summary>SHA-256 prefix of the prior file: the code-prior cells belong to it.</summary>
    public string? PriorFingerprint { get; init; }

    /// <summary>The --baselines cache folder (default OUT/baselines), or null to train without keeping the files.</summary>
    public string? BaselineCache { get; init; }

    public required string Out { get; init; }

    /// <summary>The shard this run computes, or null for every cell.</summary>
    public DatasetShard? Shard { get; init; }

    /// <summary>Every (method, target) cell of the report, in report order (method-major); each pools <see cref="Seeds"/>.</summary>
    public IReadOnlyList<(string Method, double Target)> Cells => Methods.SelectMany(m => Targets.Select(t => (m, t))).ToArray();

    /// <summary>Every stored cell (method, seed, target), method-major then seed then target: the order runs compute and shards split.</summary>
    public IReadOnlyList<(string Method, long Seed, double Target)> SeedCells =>
        Methods.SelectMany(m => Seeds.SelectMany(s => Targets.Select(t => (m, s, t)))).ToArray();

    /// <summary>
    /// What a stored cell must match to be reused: model, data, split, judge, seed, sample count and the method's
    /// settings (not the judge check, which is stored beside the designs and topped up when more is asked).
    /// </summary>
    public string CellFingerprint(string method, double target, long seed) => Pipelines.TrainingPipeline.Fingerprint(
        "evaluation-cell/2", method, Text($"{target:R}"), ModelFingerprint, DataFingerprint,
        Text($"{Split.Seed}/{Split.HeldOutFraction:R}"), OpticalStackFile.ToJson(Stack),
        Text($"seed {seed}, samples {Samples}"), MethodSettings(method));

    /// <summary>The volume-fraction control's settings: the dataset's GRF family and wavenumber ranges and map size.</summary>
    public VolumeFractionControlOptions Control => new() { Ranges = Dataset.Generation.Ranges, ImageSize = Dataset.Generation.Size };

    /// <summary>The report heading of <paramref name="method"/>; the proposed row's says what the zip adds to the paper's method.</summary>
    public string Title(string method) => method == EvaluationMethods.Proposed ? ProposedMethod.Title(Model, Samples) : EvaluationMethods.Title(method);

    /// <summary>The settings of <paramref name="method"/> in one line.</summary>
    public string MethodSettings(string method) => method switch
    {
        EvaluationMethods.Paper => $"the model zip's MDN conditioned on the target itself (no calibration), one draw per design, no surrogate screen; {ProposedMethod.DecodingPhrase(Model)}",
        EvaluationMethods.Proposed => ProposedMethod.Settings(Model, Samples),
        EvaluationMethods.CodePrior => CodePriorMethod.Settings(Model, Samples, PriorFingerprint),
        EvaluationMethods.VfControl => Control.Describe(),
        EvaluationMethods.VfControlScreened => Text(
            $"{Control.Describe()}; {Samples * Model.Oversampling} draws per target, the {Samples} whose surrogate (the model zip's) absorption is closest to the target kept, as the zip's screen selects{(Model.Oversampling > 1 ? "" : " (the zip has no screen: oversampling 1, so every draw is kept and the screen changes nothing)")}"),
        EvaluationMethods.ProposedRanked => Text(
            $"{Ranking.Oversample} MDN draws per design ranked by the surrogate{(Ranking.CalibrationSimulations > 0 ? $" (corrected by its offset from RCWA after a first round of {Ranking.CalibrationSimulations} and every later round)" : "")}, RCWA in rank order until {Samples} are within {Ranking.TolerancePercent:0.###} % REP, at most {Ranking.BudgetFor(Samples)} simulations; the best {Samples} by RCWA returned"),
        _ when BaselineNames.All.Contains(method) => Baselines.Describe(method),
        _ => "",
    };

    /// <summary>The first 16 hex digits of the SHA-256 of a file's bytes.</summary>
    public static string FileFingerprint(string path) => Fingerprint.OfFile(path)[..16];
}
