using System.Security.Cryptography;
using MlNetInverse.Baselines;
using MlNetInverse.Cli.Commands;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Optics;

namespace MlNetInverse.Cli.Evaluation;

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

    /// <summary>Seed of every method's draws at evaluation time.</summary>
    public required long Seed { get; init; }

    /// <summary>RCWA workers.</summary>
    public required int Threads { get; init; }

    public required BaselineSettings Baselines { get; init; }

    public required VerifiedRankingOptions Ranking { get; init; }

    /// <summary>The --baselines cache folder (default OUT/baselines), or null to train without keeping the files.</summary>
    public string? BaselineCache { get; init; }

    public required string Out { get; init; }

    /// <summary>The shard this run computes, or null for every cell.</summary>
    public ShardChoice? Shard { get; init; }

    /// <summary>Every (method, target) cell in report order (method-major), the order shards split.</summary>
    public IReadOnlyList<(string Method, double Target)> Cells => Methods.SelectMany(m => Targets.Select(t => (m, t))).ToArray();

    /// <summary>What a stored cell must match to be reused: model, data, split, judge, seed, sample count and the method's settings.</summary>
    public string CellFingerprint(string method, double target) => Pipelines.TrainingPipeline.Fingerprint(
        "evaluation-cell/1", method, ReportNumbers.Text($"{target:R}"), ModelFingerprint, DataFingerprint,
        ReportNumbers.Text($"{Split.Seed}/{Split.HeldOutFraction:R}"), OpticalStackFile.ToJson(Stack),
        ReportNumbers.Text($"seed {Seed}, samples {Samples}"), MethodSettings(method));

    /// <summary>The settings of <paramref name="method"/> in one line.</summary>
    public string MethodSettings(string method) => method switch
    {
        EvaluationMethods.Proposed => ReportNumbers.Text($"the model zip as trained ({(Model.Oversampling > 1 ? $"best of {Model.Oversampling} draws per design by the surrogate" : "every MDN draw kept")}{(Model.Mdn.Calibration is null ? "" : ", calibrated MDN")})"),
        EvaluationMethods.ProposedRanked => ReportNumbers.Text(
            $"{Ranking.Oversample} MDN draws per design ranked by the surrogate{(Ranking.CalibrationSimulations > 0 ? $" (corrected by its offset from RCWA after a first round of {Ranking.CalibrationSimulations} and every later round)" : "")}, RCWA in rank order until {Samples} are within {Ranking.TolerancePercent:0.###} % REP, at most {Ranking.BudgetFor(Samples)} simulations; the best {Samples} by RCWA returned"),
        _ when BaselineNames.All.Contains(method) => Baselines.Describe(method),
        _ => "",
    };

    /// <summary>The first 16 hex digits of the SHA-256 of a file's bytes.</summary>
    public static string FileFingerprint(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream))[..16].ToLowerInvariant();
    }
}
