using System.Globalization;
using System.Text.Json.Nodes;
using MlNetInverse.Workflows.Pipelines;

namespace MlNetInverse.Tests.Cli;

/// <summary><c>train --pipeline</c>'s morphology summary on the tiny run of <see cref="TrainPipelineCommandTests"/>.</summary>
public sealed partial class TrainPipelineCommandTests
{
    [Fact]
    public void GivenATinyPipeline_WhenTrained_ThenTheSummaryAndMetricsJsonCompareEachTargetsDesignsWithTheTrainingMapsNearIt()
    {
        Assert.True(_run.First.ExitCode == 0, _run.First.Stderr + _run.First.Stdout);
        var morphology = JsonNode.Parse(File.ReadAllText(new TrainingArtifacts(_run.Out).Metrics))!["morphology_fidelity"]!;

        Assert.Contains("morphology of the generated designs against the training maps", _run.First.Stdout);
        var targets = morphology["targets"]!.AsArray();
        Assert.Equal([_run.MedianLabel, 0.99], targets.Select(t => t!["target"]!.GetValue<double>()));
        Assert.All(targets, t => Assert.Equal(3, t!["designs"]!.GetValue<int>()));
        Assert.Equal(0, targets[1]!["data_maps"]!.GetValue<int>()); // nothing is labelled near 0.99
        Assert.False(targets[1]!["assessable"]!.GetValue<bool>());
        Assert.Null(targets[1]!["data_control"]); // no data maps to draw the data's own sets from
        if (targets[0]!["data_maps"]!.GetValue<int>() >= 6)
            Assert.Equal(3, targets[0]!["data_control"]!["set_size"]!.GetValue<int>());
        Assert.Equal(0.01, morphology["window"]!.GetValue<double>());
    }

    [Fact]
    public void GivenTheTinyModel_WhenItsMorphologyIsCheckedOverSeeds_ThenEachSeedIsReported_TheJsonCountsThem_AndARerunWithoutOverwriteIsRefused()
    {
        Assert.True(_run.First.ExitCode == 0, _run.First.Stderr + _run.First.Stdout);
        string model = new TrainingArtifacts(_run.Out).Model, json = _run.Folder.File("morphology.json");
        string target = _run.MedianLabel.ToString("R", CultureInfo.InvariantCulture);

        var run = CliRun.Of("morphology", "--model", model, "--targets", target, "--samples", "3", "--seeds", "2", "--seed", "11", "--pool", "2", "--out", json);

        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Contains("seed 11:", run.Stdout);
        Assert.Contains("seed 12:", run.Stdout);
        Assert.Contains("of 2 seeds", run.Stdout);
        var written = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.Equal([11L, 12L], written["seeds"]!.AsArray().Select(s => s!.GetValue<long>()));
        Assert.Equal(3, written["designs_per_target"]!.GetValue<int>());
        var row = written["targets"]![0]!;
        Assert.Equal(2, row["seeds_met"]!.GetValue<int>() + row["seeds_open"]!.GetValue<int>() + written["per_seed"]!.AsArray().Count(s => s!["missed"]!.AsArray().Count > 0));
        // --pool 2: seeds 11 and 12 as one set of 6 designs.
        Assert.Contains("pooled: sets of 6 designs, 2 consecutive seeds each", run.Stdout);
        Assert.Contains("of 1 pooled sets", run.Stdout);
        var pooled = written["pooled"]!;
        Assert.Equal(6, pooled["designs_per_set"]!.GetValue<int>());
        Assert.Equal([11L, 12L], pooled["sets"]![0]!.AsArray().Select(s => s!.GetValue<long>()));

        var again = CliRun.Of("morphology", "--model", model, "--targets", target, "--samples", "3", "--seeds", "2", "--out", json);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("--overwrite", again.Stderr + again.Stdout);
        var bad = CliRun.Of("morphology", "--model", model, "--samples", "0");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--samples must be at least 1", bad.Stderr + bad.Stdout);
        var tooFew = CliRun.Of("morphology", "--model", model, "--seeds", "2", "--pool", "3");
        Assert.NotEqual(0, tooFew.ExitCode);
        Assert.Contains("--pool 3 needs at least 3 seeds; --seeds gives 2", tooFew.Stderr + tooFew.Stdout);
    }
}
