using System.Text.Json.Nodes;

namespace MlNetInverse.Tests.Cli;

/// <summary><c>evaluate --out</c> holds one evaluation: another model's report or foreign files are refused unless --overwrite.</summary>
public sealed partial class EvaluateCommandTests
{
    [Fact]
    public void GivenTheTrainingFolderAsOut_WhenEvaluated_ThenItIsRefusedNamingFilesThatAreNoEvaluations()
    {
        var run = _run.Evaluate("artifacts");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^error: '.*artifacts' already exists and holds files that are no output of 'evaluate' \('checkpoints', '.*'.* more\); replacing it needs --overwrite", Assert.Single(run.StderrLines));
        Assert.False(File.Exists(Path.Combine(_run.Out("artifacts"), "report.md")));
    }

    [Fact]
    public void GivenAnotherModelsReportInOut_WhenEvaluated_ThenItIsRefusedUnlessOverwriteWhichResumesFromTheStoredCells()
    {
        Assert.True(_run.Evaluation.ExitCode == 0, _run.Evaluation.Stderr);
        _run.Folder.CopyOf(_run.Out("eval"), "eval-other");
        var reportPath = Path.Combine(_run.Out("eval-other"), "report.json");
        var report = JsonNode.Parse(File.ReadAllText(reportPath))!;
        string mine = report["model"]!["sha256_prefix"]!.GetValue<string>();
        report["model"]!["sha256_prefix"] = "0123456789abcdef";
        File.WriteAllText(reportPath, report.ToJsonString());

        var refused = _run.Evaluate("eval-other");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"holds the evaluation of another model (sha256 0123456789abcdef there, {mine} now)", Assert.Single(refused.StderrLines));

        var overwritten = _run.Evaluate("eval-other", "--overwrite");

        Assert.True(overwritten.ExitCode == 0, overwritten.Stderr);
        Assert.Equal(mine, JsonNode.Parse(File.ReadAllText(reportPath))!["model"]!["sha256_prefix"]!.GetValue<string>());
    }

    [Fact]
    public void GivenTheSameEvaluationInOut_WhenEvaluatedAgain_ThenItResumesWithoutOverwrite()
    {
        Assert.True(_run.Evaluation.ExitCode == 0, _run.Evaluation.Stderr);
        _run.Folder.CopyOf(_run.Out("eval"), "eval-again");

        var again = _run.Evaluate("eval-again");

        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("(0 of 6 cells computed now", File.ReadAllText(Path.Combine(_run.Out("eval-again"), "report.md")));
    }
}
