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
}
