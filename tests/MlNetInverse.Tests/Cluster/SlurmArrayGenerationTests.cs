using System.Diagnostics;
using System.Text.RegularExpressions;
using MlNetInverse.Tests.Cli;
using Xunit.Abstractions;

namespace MlNetInverse.Tests.Cluster;

/// <summary>
/// Sharded generation on a real Slurm: pipelines/slurm/submit.sh submits a 4-task array of `data generate` and the
/// dependent merge job; the merged file must equal a single-process run byte for byte, and a resubmission must skip
/// the finished shards. Skipped, with the reason, where no Slurm answers (.ci/run starts one with .ci/local-slurm.sh).
/// </summary>
public sealed partial class SlurmArrayGenerationTests(ITestOutputHelper log) : IDisposable
{
    private const string StackJson = """
        {"period_nm": 350, "materials": {"air": {"eps": "1"}, "si": {"eps": "12+0.5i"}, "glass": {"eps": "2.25"}},
         "superstrate": "air", "patterned_layer": {"material_a": "si", "material_b": "air", "thickness_nm": 100},
         "substrate": "glass", "wavelengths_nm": [500, 600], "solver": {"harmonics": 9}}
        """;

    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(90);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public void GivenALocalSlurm_WhenAFourTaskGenerateArrayAndItsMergeJobRun_ThenTheMergedFileEqualsASingleProcessRunAndAResubmissionSkipsEveryShard()
    {
        var slurm = LocalSlurm.Find(out string reason);
        Skip.If(slurm is null, reason);
        string stack = _folder.Write("stack.json", StackJson);
        string merged = _folder.File("cluster/data.parquet");
        string single = _folder.File("single/data.parquet");
        var run = new[] { "--count", "40", "--row-group", "10", "--seed", "11", "--stack", stack };

        var first = Submit(slurm, run, merged);
        Assert.True(File.Exists(merged), $"no merged file at {merged}");
        var reference = CliRun.Of(["data", "generate", "--out", single, .. run]);
        Assert.Equal(0, reference.ExitCode);
        Assert.Equal(File.ReadAllBytes(single), File.ReadAllBytes(merged));
        for (int i = 1; i <= 4; i++)
        {
            string shard = _folder.File($"cluster/data.shard-{i:D4}-of-0004.parquet");
            Assert.True(new FileInfo(shard).Length > 0, $"shard {i} missing");
            Assert.Contains($"ids {(i - 1) * 10}..{i * 10 - 1} of a run of 40", TaskLog(first.ArrayJob, i));
        }

        var bytes = File.ReadAllBytes(merged);
        var again = Submit(slurm, run, merged);
        for (int i = 1; i <= 4; i++) Assert.Contains("10 (10 resumed)", TaskLog(again.ArrayJob, i));
        Assert.Equal(bytes, File.ReadAllBytes(merged));
    }

    /// <summary>Submits the array and the merge job with submit.sh and waits until both are finished and succeeded.</summary>
    private (string ArrayJob, string MergeJob) Submit(LocalSlurm slurm, string[] run, string merged)
    {
        var clock = Stopwatch.StartNew();
        string cli = $"{DotnetHost()} {Path.Combine(AppContext.BaseDirectory, "mlnet-inverse.dll")}";
        var submit = slurm.Run("bash", TimeSpan.FromSeconds(60),
            [SubmitScript(), "generate", "--shards", "4", "--out", merged, "--cli", cli, "--logs", _folder.File("logs"), .. run]);
        Assert.True(submit.ExitCode == 0, $"submit.sh failed ({submit.ExitCode}): {submit.Stderr}");
        string arrayJob = JobId().Match(submit.Stdout).Groups["array"].Value;
        string mergeJob = MergeId().Match(submit.Stdout).Groups["merge"].Value;
        Assert.False(arrayJob == "" || mergeJob == "", $"submit.sh printed no job ids: {submit.Stdout}");

        var states = slurm.WaitForJobs(JobTimeout, arrayJob, mergeJob);
        log.WriteLine($"jobs {arrayJob} (array) and {mergeJob} (merge) after {clock.Elapsed.TotalSeconds:F1} s: {string.Join(", ", states)}");
        if (!states.All(s => s.EndsWith(" COMPLETED", StringComparison.Ordinal)))
            Assert.Fail($"jobs did not all complete within {JobTimeout.TotalSeconds:F0} s: {string.Join(", ", states)}\n{AllLogs()}");
        return (arrayJob, mergeJob);
    }

    private string TaskLog(string arrayJob, int task)
    {
        string path = _folder.File($"logs/mlnet-generate-{arrayJob}_{task}.out");
        return File.Exists(path) ? File.ReadAllText(path) : $"(no log {path})";
    }

    private string AllLogs() => string.Join("\n", Directory.Exists(_folder.File("logs"))
        ? Directory.GetFiles(_folder.File("logs")).Order().Select(f => $"--- {Path.GetFileName(f)}\n{File.ReadAllText(f)}")
        : ["(no logs)"]);

    private static string SubmitScript()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string script = Path.Combine(folder.FullName, "pipelines", "slurm", "submit.sh");
            if (File.Exists(script)) return script;
        }
        throw new FileNotFoundException($"pipelines/slurm/submit.sh not found above {AppContext.BaseDirectory}");
    }

    /// <summary>The dotnet that runs this test, so the jobs run the CLI with the same runtime.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet") return path;
        return "dotnet";
    }

    [GeneratedRegex(@"array_job=(?<array>\d+)")]
    private static partial Regex JobId();

    [GeneratedRegex(@"merge_job=(?<merge>\d+)")]
    private static partial Regex MergeId();
}
