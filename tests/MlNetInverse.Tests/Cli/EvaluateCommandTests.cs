using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Rcwa;
using MlNetInverse.Tests.Models;
using MlNetInverse.Workflows.Evaluation;
using DatasetFakes = MlNetInverse.Tests.Physics.Datasets.DatasetFakes;

namespace MlNetInverse.Tests.Cli;

/// <summary>
/// <c>evaluate</c> end to end on a tiny model (the tiny pipeline on 48 RCWA-labelled maps with a cheap stack):
/// 2 targets x 2 designs, methods proposed, pca-mdn (trained by the command on the training split) and optimization
/// with a budget of 6 simulations.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed partial class EvaluateCommandTests : IClassFixture<EvaluateCommandTests.EvaluatedRun>
{
    private readonly EvaluatedRun _run;

    public EvaluateCommandTests(EvaluatedRun run) => _run = run;

    /// <summary>One tiny training run and one evaluation shared by the tests of this class.</summary>
    public sealed class EvaluatedRun : IDisposable
    {
        public EvaluatedRun()
        {
            Directory.CreateDirectory(Folder.File("data"));
            var data = TrainingDatasetFile.WriteTo(Folder.File("data/train.parquet"));
            var labels = MicrostructureDatasetFile.ReadAsync(data).GetAwaiter().GetResult().Records.Select(r => r.Absorption).Order().ToArray();
            // Two targets inside the labels' range, rounded so the cell file names are readable.
            Targets = [Math.Round(labels[labels.Length / 3], 3), Math.Round(labels[2 * labels.Length / 3], 3)];
            var pipeline = Folder.Write("pipelines/tiny.json", TinyPipeline);
            Model = Path.Combine(Folder.File("artifacts"), "model.zip");
            Train = CliRun.Of("train", "--pipeline", pipeline, "--out", Folder.File("artifacts"));
            Evaluation = Evaluate("eval");
        }

        internal TempFolder Folder { get; } = new();

        public double[] Targets { get; }

        public string TargetList => string.Join(",", Targets.Select(t => t.ToString("R", CultureInfo.InvariantCulture)));

        public string Model { get; }

        internal CliRun Train { get; }

        internal CliRun Evaluation { get; }

        public string Out(string name) => Folder.File(name);

        internal CliRun Evaluate(string outName, params string[] extra) => CliRun.Of(
        [
            "evaluate", "--model", Model, "--targets", TargetList, "--samples", "2", "--methods", "proposed,pca-mdn,optimization",
            "--optimization-budget", "6", "--seed", "5", "--out", Folder.File(outName), "--baselines", Folder.File("baselines"), "--threads", "2", .. extra,
        ]);

        public void Dispose() => Folder.Dispose();
    }

    private const string TinyPipeline = """
        {
          "name": "tiny", "data": "../data/train.parquet", "seed": 3, "threads": 1, "held_out": 0.25,
          "surrogate": { "epochs": 2, "batch": 16, "base_channels": 2, "hidden_units": 8 },
          "vqvae": { "epochs": 1, "batch": 16, "learning_rate": 1e-2, "codebook_size": 16, "code_dim": 4, "latent_grid": 8, "hidden_channels": 4 },
          "mdn": { "components": 3, "hidden_units": 16, "epochs": 2, "batch": 16 },
          "generation": { "samples": 3, "oversampling": 2, "calibrate": false, "targets": [0.5] }
        }
        """;

    [Fact]
    public void GivenATinyModel_WhenEvaluated_ThenReportMdJsonAndPngsAreWrittenAndTheBaselineIsCached()
    {
        Assert.True(_run.Train.ExitCode == 0, _run.Train.Stderr);
        Assert.True(_run.Evaluation.ExitCode == 0, _run.Evaluation.Stderr + _run.Evaluation.Stdout);
        var folder = _run.Out("eval");
        foreach (var file in new[] { "report.md", "report.json", "rep-boxplot.png" }
                     .Concat(_run.Targets.Select(t => string.Create(CultureInfo.InvariantCulture, $"designs-{t:0.000}.png"))))
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        Assert.Equal(6, Directory.GetFiles(Path.Combine(folder, "cells"), "*.json").Length);
        Assert.True(File.Exists(_run.Out("baselines/pca-mdn.bin")));
        Assert.Contains("pca-mdn: training on 36 training maps", _run.Evaluation.Stdout);
        Assert.Contains("confirmed: the 36 training ids and their absorption labels equal those in the model's latents.parquet", _run.Evaluation.Stdout);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void GivenTheReport_WhenTableOneIsRead_ThenItHasThePaperColumnsOneRowPerMethodAndTargetAndPercentagesWithTwoDecimals()
    {
        var lines = File.ReadAllLines(Path.Combine(_run.Out("eval"), "report.md"));
        int header = Array.IndexOf(lines, "| " + string.Join(" | ", TableOneMarkdown.Columns) + " |");
        Assert.True(header > 0, "Table I header not found");
        var rows = lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray()).ToArray();
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_run.Out("eval"), "report.json")))!;

        Assert.Equal(6, rows.Length);
        Assert.Equal(["Proposed as shipped: VQ-VAE + MDN + surrogate screen (best 2 of 4 draws per target) - not the paper's method", "PCA-MDN method",
            "Optimization based inverse model (Bayesian optimisation)"], rows.Select(r => r[0]).Distinct());
        Assert.All(rows, r => Assert.Equal(12, r.Length));
        Assert.All(rows.SelectMany(r => new[] { r[2], r[3], r[5], r[8], r[9], r[10] }), cell => Assert.Matches(PercentCell(), cell));
        Assert.All(rows, r => Assert.Matches(@"^\[\d+\.\d\d%, \d+\.\d\d%\]$", r[4]));
        // No vf-control in this run: no skill.
        Assert.All(rows, r => Assert.Equal(["-", "-"], r[6..8]));
        Assert.Equal(["0", "0", "0", "0", "6", "6"], rows.Select(r => r[11]));
        // Every RCWA number in the table is the statistic of the REP list in report.json, rounded to two decimals.
        var methods = json["methods"]!.AsArray();
        for (int i = 0; i < rows.Length; i++)
        {
            var cell = methods[i / 2]!["targets"]![i % 2]!;
            var reps = cell["rep_percent"]!.AsArray().Select(r => r!.GetValue<double>()).ToArray();
            Assert.Equal(_run.Targets[i % 2].ToString("0.00##", CultureInfo.InvariantCulture), rows[i][1]);
            Assert.Equal(Percent(reps.Min()), rows[i][2]);
            Assert.Equal(Percent(reps.Average()), rows[i][3]);
        }
    }

    [Fact]
    public void GivenTheReportJson_WhenRead_ThenItFollowsTheSchema()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_run.Out("eval"), "report.json")))!.AsObject();

        Assert.Equal(EvaluationJson.Schema, json["schema"]!.GetValue<string>());
        foreach (var key in new[] { "model", "dataset", "stack", "seeds", "split", "samples_per_target", "targets", "wall_seconds", "training_reference", "methods", "bar" })
            Assert.True(json.ContainsKey(key), key);
        Assert.Equal(9, json["stack"]!["harmonics"]!.GetValue<int>());
        Assert.Equal(5, json["seeds"]!["evaluation"]!.GetValue<long>());
        Assert.Equal(3, json["seeds"]!["training"]!.GetValue<long>());
        Assert.Equal(36, json["split"]!["training_rows"]!.GetValue<int>());
        Assert.Equal(["proposed", "pca-mdn", "optimization"], json["methods"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()));
        foreach (var target in json["methods"]!.AsArray().SelectMany(m => m!["targets"]!.AsArray()))
        {
            foreach (var key in new[] { "min_rep", "mean_rep", "std_rep", "count" })
            {
                Assert.NotNull(target!["rcwa"]![key]);
                Assert.NotNull(target["surrogate"]![key]);
            }
            Assert.Equal(2, target!["rep_percent"]!.AsArray().Count);
            foreach (var key in new[] { "diversity", "distinct_designs", "nearest_training_distance_min", "copies_of_training_maps", "morphology" })
                Assert.True(target["beyond_rep"]!.AsObject().ContainsKey(key), key);
        }
        Assert.Equal(6, json["methods"]![2]!["targets"]![0]!["method_simulations"]!.GetValue<int>());
        Assert.Equal(2, json["bar"]!["proposed"]!["targets"]!.AsArray().Count);
    }

    [Fact]
    public void GivenTheStoredCells_WhenTheirDesignsAreSimulatedAgain_ThenTheJudgedAbsorptionIsTheRcwaOfTheDatasetStack()
    {
        var cell = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(Path.Combine(_run.Out("eval"), "cells"), "pca-mdn@*.json")[0]))!;
        var maps = cell["maps"]!.AsArray().Select(m => MlNetInverse.Physics.Microstructures.Microstructure.FromPackedBits(Convert.FromBase64String(m!.GetValue<string>()))).ToArray();
        using var solver = new RcwaSolver(DatasetFakes.Stack);

        var again = maps.Select(m => solver.Simulate(m).Absorption).ToArray();

        Assert.All(maps, m => Assert.True(m.IsBinary));
        // The evaluation simulates in parallel (SimulateMany); every wavelength runs at one torch thread either way, so
        // one by one gives the same bits.
        var stored = cell["rcwa_absorption"]!.AsArray().Select(a => a!.GetValue<double>()).ToArray();
        Assert.Equal(maps.Length, stored.Length);
        for (int i = 0; i < maps.Length; i++) Assert.True(stored[i] == again[i], $"design {i}: stored {stored[i]:R}, simulated {again[i]:R}");
    }

    [Fact]
    public void GivenAFinishedEvaluation_WhenRunAgain_ThenEveryCellAndTheBaselineAreReusedAndTheTablesAreIdentical()
    {
        var first = File.ReadAllText(Path.Combine(_run.Out("eval"), "report.md"));

        var again = _run.Evaluate("eval");

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.DoesNotContain("training on", again.Stdout);
        Assert.DoesNotContain(" @ ", again.Stdout);
        var second = File.ReadAllText(Path.Combine(_run.Out("eval"), "report.md"));
        Assert.Contains("(0 of 6 cells computed now", second);
        Assert.Equal(Tables(first), Tables(second));
    }

    [Fact]
    public void GivenAShard_WhenEvaluated_ThenOnlyItsCellsAreStoredAndTheReportWaitsForTheRest_ThenAnUnshardedRunFinishesIt()
    {
        var shard = _run.Evaluate("sharded", "--shard", "1/2", "--methods", "proposed,pca-mdn");

        Assert.True(shard.ExitCode == 0, shard.Stderr);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_run.Out("sharded"), "cells")).Length);
        Assert.False(File.Exists(Path.Combine(_run.Out("sharded"), "report.md")));
        Assert.Contains("2 of 4 stored", shard.Stdout);

        var rest = _run.Evaluate("sharded", "--methods", "proposed,pca-mdn");

        Assert.True(rest.ExitCode == 0, rest.Stderr);
        Assert.Contains("(2 of 4 cells computed now", File.ReadAllText(Path.Combine(_run.Out("sharded"), "report.md")));
        Assert.Contains("pca-mdn: loaded from", rest.Stdout);
    }

    [Fact]
    public void GivenTheModel_WhenGenerateVerifiesAndRanks_ThenEachTargetReportsItsConfirmedDesignsAndTheSimulationsSpent()
    {
        // The tiny VQ-VAE decodes most draws to the same map; the ranking itself is tested in VerifiedRankingTests.
        var run = CliRun.Of("generate", "--model", _run.Model, "--targets", _run.TargetList, "--count", "2", "--out", _run.Out("ranked"),
            "--verify-rank", "--oversample", "3", "--tolerance-percent", "100", "--threads", "2");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.True(Regex.Matches(run.Stdout, @"target \d\.\d{3}: ([12]) of \1 designs within 100 % after \1 RCWA simulations \(6 draws, [1-6] distinct, ranked by the surrogate[^)]*\)").Count == 2, run.Stdout);
        Assert.Matches(@"cost: [2-4] RCWA simulations for [2-4] designs", run.Stdout);
        var rows = File.ReadAllLines(Path.Combine(_run.Out("ranked"), "designs.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.True(double.IsFinite(double.Parse(r[4], CultureInfo.InvariantCulture)), "every returned design has its RCWA absorption"));
    }

    [Fact]
    public async Task GivenADatasetTheModelWasNotTrainedOn_WhenEvaluated_ThenOneLineSaysSoAndNothingIsWritten()
    {
        // Same row count and ids as the model's data, other maps and labels (the fake generator and simulator).
        var other = _run.Out("other.parquet");
        await new DatasetFakes().CreateGenerator(DatasetFakes.Options(TrainingDatasetFile.Count)).GenerateAsync(other);

        var run = _run.Evaluate("wrong-data", "--data", other, "--methods", "proposed");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^error: --data '.*other\.parquet' is not the dataset \(or split\) the model was trained on: .* 0 of the model's ids are not in it and \d+ carry other absorption labels\. Pass the model's dataset with --data\.$",
            Assert.Single(run.StderrLines));
        Assert.False(Directory.Exists(_run.Out("wrong-data")));
    }

    [Fact]
    public void GivenVerifyAndVerifyRankTogether_WhenGenerateRuns_ThenOneLineAsksForOne()
    {
        var run = CliRun.Of("generate", "--model", _run.Model, "--target", "0.5", "--out", _run.Out("both"), "--verify", "--verify-rank");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["error: give either --verify (judge every design) or --verify-rank (rank, then judge the best), not both."], run.StderrLines);
    }

    private static string Percent(double value) => value.ToString("F2", CultureInfo.InvariantCulture) + "%";

    /// <summary>The report without its wall-time line (everything else is deterministic).</summary>
    private static string Tables(string report) => string.Join("\n", report.Split('\n').Where(l => !l.StartsWith("- Wall time", StringComparison.Ordinal)));

    [GeneratedRegex(@"^\d+\.\d\d%$")]
    private static partial Regex PercentCell();
}
