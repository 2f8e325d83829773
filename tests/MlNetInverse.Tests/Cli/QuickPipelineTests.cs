using System.Globalization;
using MlNetInverse.Cli.Runtime;
using MlNetInverse.Tests.Infrastructure;
using MlNetInverse.Tests.Models;

namespace MlNetInverse.Tests.Cli;

/// <summary>
/// The real main job: pipelines/quick.json on the shipped 5,000-map band-edge dataset (about 12 minutes on 2 cores),
/// then 30 designs at each paper target judged by RCWA. The benchmark's bar: mean REP at most 3 % per target. On the
/// band-edge default the shipped model misses it at the tail targets (README, Evaluation), so this acceptance test
/// fails there until the model improves; it is opt-in (MLNET_INVERSE_SLOW_TESTS=1) and states the target.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class QuickPipelineTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [SlowFact]
    public void GivenTheShippedDataset_WhenTheQuickPipelineRunsAndItsDesignsAreVerified_ThenMeanRcwaRepIsAtMostThreePercentPerTarget()
    {
        var root = RepositoryLocator.FindRoot([AppContext.BaseDirectory])!;
        var artifacts = _folder.File("artifacts");

        var train = CliRun.Of("train", "--pipeline", Path.Combine(root, "pipelines", "quick.json"), "--out", artifacts);
        Assert.True(train.ExitCode == 0, train.Stderr);
        var generate = CliRun.Of("generate", "--model", Path.Combine(artifacts, "model.zip"), "--targets", "0.55,0.6,0.65,0.7,0.75",
            "--count", "30", "--out", _folder.File("designs"), "--verify", "--threads", "2");
        Assert.True(generate.ExitCode == 0, generate.Stderr);

        var rows = File.ReadAllLines(Path.Combine(_folder.File("designs"), "designs.csv")).Skip(1).Select(l => l.Split(','));
        foreach (var target in rows.GroupBy(r => r[0]))
        {
            double meanRep = target.Average(r => double.Parse(r[5], CultureInfo.InvariantCulture));
            Assert.True(meanRep <= 3.0, $"target {target.Key}: mean RCWA REP {meanRep:F2} % is above 3 %");
            Assert.Equal(30, target.Count());
        }
    }
}
