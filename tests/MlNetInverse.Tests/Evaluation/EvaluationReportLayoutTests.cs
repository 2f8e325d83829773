using System.Text.Json.Nodes;
using Microsoft.ML;
using MlNetInverse.Cli.Commands;
using MlNetInverse.Cli.Evaluation;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;

namespace MlNetInverse.Tests.Evaluation;

/// <summary>
/// report.md and report.json written from a synthetic result set: hand-made RCWA and surrogate absorptions for two
/// methods at two targets (so every statistic is known in advance), on the tiny model and data of the evaluate tests.
/// One proposed design is an exact copy of a training map.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class EvaluationReportLayoutTests : IClassFixture<EvaluateCommandTests.EvaluatedRun>
{
    private readonly EvaluationReport _report;

    public EvaluationReportLayoutTests(EvaluateCommandTests.EvaluatedRun run)
    {
        var dataPath = run.Folder.File("data/train.parquet");
        var dataset = MicrostructureDatasetFile.ReadAsync(dataPath).GetAwaiter().GetResult();
        var model = GenerationModel.Load(new MLContext(seed: 0), run.Model);
        var split = EvaluationSplit.For(run.Model, dataPath, dataset.Records.Select(r => r.Id).ToArray(), dataset.Records.Select(r => (float)r.Absorption).ToArray());
        var setup = new EvaluationSetup
        {
            ModelPath = run.Model, ModelFingerprint = "0123456789abcdef", Model = model, Stack = dataset.Stack,
            DataPath = dataPath, DataFingerprint = "fedcba9876543210", Dataset = dataset, Split = split, Reference = new TrainingReference(dataset.Records, split),
            Targets = [0.55, 0.75], Methods = [EvaluationMethods.Proposed, "optimization"], Samples = 3, Seed = 5, Threads = 1,
            Baselines = new BaselineSettings(), Ranking = new VerifiedRankingOptions(), Out = run.Out("synthetic"),
        };
        Microstructure Training(int k) => dataset.Records[split.Training[k]].Map;
        Microstructure HeldOut(int k) => dataset.Records[split.HeldOut[k]].Map;
        Microstructure[] maps = [Training(0), HeldOut(0), HeldOut(1)];
        CellResult Cell(string method, double target, double[] rcwa, int simulations) =>
            new(method, target, maps, rcwa, [target, target, target], simulations, 3, null, 1.5, 2.5, null);
        _report = new EvaluationReport(setup,
        [
            Cell("proposed", 0.55, [0.55, 0.561, 0.539], 0), // REP 0, 2, 2
            Cell("proposed", 0.75, [0.75, 0.7575, 0.7425], 0), // REP 0, 1, 1
            Cell("optimization", 0.55, [0.5445, 0.5555, 0.55], 250), // REP 1, 1, 0
            Cell("optimization", 0.75, [0.6, 0.675, 0.75], 250), // REP 20, 10, 0
        ], wallSeconds: 12.3, computedCells: 4);
    }

    [Fact]
    public void GivenKnownAbsorptions_WhenTableOneIsWritten_ThenEachRowHoldsMinMeanAndSampleStdOfRepLikeThePaper()
    {
        var lines = EvaluationMarkdown.Write(_report).Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

        int header = Array.IndexOf(lines, "| Method | Target | Min | Average | Standard Deviation | Surrogate min | Surrogate average | Surrogate std | Simulations by the method |");
        Assert.True(header > 0, "Table I header not found");
        Assert.Equal(
        [
            "| The proposed framework (VQ-VAE + MDN) | 0.55 | 0.00% | 1.33% | 1.15% | 0.00% | 0.00% | 0.00% | 0 |",
            "| The proposed framework (VQ-VAE + MDN) | 0.75 | 0.00% | 0.67% | 0.58% | 0.00% | 0.00% | 0.00% | 0 |",
            "| Optimization based inverse model (Bayesian optimisation) | 0.55 | 0.00% | 0.67% | 0.58% | 0.00% | 0.00% | 0.00% | 250 |",
            "| Optimization based inverse model (Bayesian optimisation) | 0.75 | 0.00% | 10.00% | 10.00% | 0.00% | 0.00% | 0.00% | 250 |",
        ], lines.Skip(header + 2).Take(5).TakeWhile(l => l.StartsWith('|')));
        Assert.Contains("| proposed | 1.33 (6.17) | 0.67 (6.84) |", lines);
        Assert.Contains("| optimization | 0.67 (-) | 10.00 (-) |", lines);
        Assert.Contains("- Seeds: evaluation 5 (every method's draws and searches); training 3 (the split, the model's weights, the baselines' weights)", lines);
        Assert.Contains(lines, l => l.StartsWith("- Wall time: 12 s for this run (4 of 4 cells computed now", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("- RCWA judge: stack '", StringComparison.Ordinal) && l.Contains(", 9 harmonics,", StringComparison.Ordinal));
    }

    [Fact]
    public void GivenACopiedTrainingMap_WhenTheReportIsWritten_ThenMarkdownAndJsonFlagOneCopyPerCell()
    {
        var markdown = EvaluationMarkdown.Write(_report);
        var json = EvaluationJson.Write(_report);

        var beyond = json["methods"]!.AsArray().SelectMany(m => m!["targets"]!.AsArray()).Select(t => t!["beyond_rep"]!).ToArray();
        Assert.All(beyond, b => Assert.Equal(1, b["copies_of_training_maps"]!.GetValue<int>()));
        Assert.All(beyond, b => Assert.Equal(0, b["nearest_training_distance_min"]!.GetValue<double>()));
        Assert.All(beyond, b => Assert.Equal(3, b["distinct_designs"]!.GetValue<int>()));
        Assert.Contains("| proposed | 0.55 |", markdown);
        Assert.Contains(" | **1** | ", markdown);
    }

    [Fact]
    public void GivenKnownAbsorptions_WhenTheJsonIsWritten_ThenItCarriesTheSameStatisticsEveryRepAndTheBar()
    {
        var json = EvaluationJson.Write(_report);

        Assert.Equal(EvaluationJson.Schema, json["schema"]!.GetValue<string>());
        Assert.Equal([0.55, 0.75], json["targets"]!.AsArray().Select(t => t!.GetValue<double>()));
        var optimization = json["methods"]![1]!;
        Assert.Equal("optimization", optimization["name"]!.GetValue<string>());
        var cell = optimization["targets"]![1]!;
        Assert.Equal(10, cell["rcwa"]!["mean_rep"]!.GetValue<double>(), 9);
        Assert.Equal(10, cell["rcwa"]!["std_rep"]!.GetValue<double>(), 9);
        Assert.Equal([20, 10, 0], cell["rep_percent"]!.AsArray().Select(r => r!.GetValue<double>()));
        Assert.Equal(250, cell["method_simulations"]!.GetValue<int>());
        // The paper reports only the optimisation's min REP (15.51 % at 0.55), nothing at 0.75.
        Assert.Equal(15.51, optimization["targets"]![0]!["paper"]!["min_rep"]!.GetValue<double>(), 9);
        Assert.Null(optimization["targets"]![0]!["paper"]!["mean_rep"]);
        Assert.Null(cell["paper"]!["min_rep"]);
        var bar = json["bar"]!["proposed"]!.AsArray().Select(c => (c!["criterion"]!.GetValue<string>(), c["met"]!.GetValue<bool>())).ToArray();
        Assert.Equal(("mean REP <= 3 % at every target", true), bar[0]);
        Assert.Equal(("min REP <= 0.1 % at every target", true), bar[1]);
        Assert.False(json["bar"]!.AsObject().ContainsKey("optimization"));
    }
}
