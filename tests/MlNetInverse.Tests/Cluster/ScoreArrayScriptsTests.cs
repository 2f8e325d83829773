using System.Diagnostics;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;
using MlNetInverse.Tests.Scoring;

namespace MlNetInverse.Tests.Cluster;

/// <summary>
/// pipelines/slurm/score.sbatch and merge.sbatch run the way any scheduler would run them (here plain bash with the
/// array task variables set, so no Slurm is needed): three shard tasks in any order, then the merge, give the file of
/// a single-process <c>score</c> run byte for byte.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class ScoreArrayScriptsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void GivenThreeScoreTasksAndTheMergeJob_WhenRunWithoutAScheduler_ThenTheMergedFileEqualsASingleProcessRun()
    {
        string model;
        using (var generator = TinyGenerator.Create(samples: 2)) model = generator.Save(_folder.File("model.zip"));
        string input = ScoringFiles.WriteTargets(_folder.File("targets.parquet"), ScoringFiles.Spread(19));
        string merged = _folder.File("results/scores.parquet");
        Directory.CreateDirectory(_folder.File("results"));
        var environment = new Dictionary<string, string>
        {
            ["MLNET_SHARDS"] = "3", ["MLNET_OUT"] = merged, ["MLNET_SCORE_ARGS"] = $"--model {model} --in {input} --batch 4",
            ["MLNET_INVERSE"] = $"{Dotnet()} {Path.Combine(AppContext.BaseDirectory, "mlnet-inverse.dll")}",
        };

        foreach (int task in new[] { 2, 3, 1 })
        {
            var shard = Bash("score.sbatch", new(environment) { ["SLURM_ARRAY_TASK_ID"] = task.ToString() });
            Assert.True(shard.ExitCode == 0, shard.Output);
            Assert.Contains($"score --shard {task}/3 --out {merged}", shard.Output);
        }
        var merge = Bash("merge.sbatch", environment);

        Assert.True(merge.ExitCode == 0, merge.Output);
        var single = CliRun.Of("score", "--model", model, "--in", input, "--out", _folder.File("single.parquet"), "--batch", "4");
        Assert.Equal(0, single.ExitCode);
        Assert.Equal(File.ReadAllBytes(_folder.File("single.parquet")), File.ReadAllBytes(merged));
    }

    private static (int ExitCode, string Output) Bash(string script, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Root(), "pipelines", "slurm", script));
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.Environment.Remove("DOTNET_STARTUP_HOOKS");
        start.Environment["MLNET_INVERSE_ALLOCATOR"] = "system"; // no re-execution: a short run gains nothing from tcmalloc
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string Root() => MlNetInverse.Cli.Runtime.RepositoryLocator.FindRoot([AppContext.BaseDirectory])!;

    private static string Dotnet() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
