using System.Text.Json.Nodes;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Workflows.Evaluation;

namespace MlNetInverse.Tests.Cli;

/// <summary><c>evaluate</c>'s morphology fidelity section on the tiny run of <see cref="EvaluateCommandTests"/>.</summary>
public sealed partial class EvaluateCommandTests
{
    [Fact]
    public async Task GivenATinyModel_WhenEvaluated_ThenReportMdAndJsonCarryTheMorphologyOfEveryCellAgainstTheTrainingMapsNearItsTarget()
    {
        Assert.True(_run.Evaluation.ExitCode == 0, _run.Evaluation.Stderr + _run.Evaluation.Stdout);
        var markdown = File.ReadAllLines(Path.Combine(_run.Out("eval"), "report.md"));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_run.Out("eval"), "report.json")))!["morphology_fidelity"]!;
        var dataset = await MicrostructureDatasetFile.ReadAsync(_run.Folder.File("data/train.parquet"));
        var split = EvaluationSplit.For(_run.Model, "train.parquet", dataset.Records.Select(r => r.Id).ToArray(), dataset.Records.Select(r => (float)r.Absorption).ToArray());

        Assert.Contains("## Morphology fidelity: designs against the training maps at the same absorption", markdown);
        var cells = json["cells"]!.AsArray();
        Assert.Equal(3 * _run.Targets.Length, cells.Count);
        foreach (var cell in cells)
        {
            double target = cell!["target"]!.GetValue<double>();
            int near = split.Training.Count(i => Math.Abs(dataset.Records[i].Absorption - target) <= TrainingReference.Window);
            Assert.Equal(near, cell["data_maps"]!.GetValue<int>());
            Assert.Equal(2, cell["designs"]!.GetValue<int>());
            var checks = cell["checks"]!.AsArray();
            Assert.Equal(cell["met"]!.GetValue<bool>(), checks.All(c => c!["met"]?.GetValue<bool>() == true));
            string method = cell["method"]!.GetValue<string>();
            Assert.Contains(markdown, l => l.StartsWith($"| {method} | {ReportNumbers.Target(target)} | 2 / {near} |", StringComparison.Ordinal));
        }
        Assert.Contains("morphology (proposed): ", _run.Evaluation.Stdout);
    }
}
