using System.Diagnostics;
using MlNetInverse.Tests.Cli;

namespace MlNetInverse.Tests.Cluster;

/// <summary>
/// <c>.ci/run</c> with stand-ins for apt, dpkg, dotnet and a local Slurm whose start fails (as on a fresh machine where
/// another apt process held the dpkg lock): under CI=true the run fails instead of going green without the cluster
/// test; on a developer machine it goes on and says the test will be skipped; apt waits for the dpkg lock.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // .ci/run is a bash script for Debian
public sealed class CiRunScriptTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("true", 1, "under CI=true the cluster test must run, so the run fails")]
    [InlineData(null, 0, "the cluster test will be reported as skipped")]
    public void GivenALocalSlurmThatFailsToStart_WhenCiRunRuns_ThenOnlyUnderCiTheRunFails(string? ci, int expectedExit, string expectedMessage)
    {
        var (exitCode, output) = RunCiScript(ci);

        Assert.True(exitCode == expectedExit, output);
        Assert.Contains(expectedMessage, output);
        Assert.Equal(expectedExit == 0, output.Contains("fake dotnet test MlNetInverse.sln"));
        Assert.Equal(expectedExit == 0, output.Contains("fake package consumer"));
        var apt = File.ReadAllLines(_folder.File("apt.log"));
        Assert.Contains("-o DPkg::Lock::Timeout=600 update -q", apt);
        Assert.Contains(apt, line => line.StartsWith("-o DPkg::Lock::Timeout=600 install", StringComparison.Ordinal));
    }

    private (int ExitCode, string Output) RunCiScript(string? ci)
    {
        string root = Root();
        Directory.CreateDirectory(_folder.File("repo/.ci"));
        File.Copy(Path.Combine(root, ".ci", "run"), _folder.File("repo/.ci/run"));
        Fake("repo/.ci/local-slurm.sh", """case "$1" in start) echo "slurm: could not get the dpkg lock" >&2; exit 1;; *) exit 0;; esac""");
        Fake("repo/.ci/package-consumer.sh", "echo \"fake package consumer\"");
        Fake("bin/dpkg", "exit 1"); // tcmalloc not installed, so apt runs
        Fake("bin/apt-get", $"echo \"$*\" >> '{_folder.File("apt.log")}'");
        Fake("bin/sudo", "exec \"$@\"");
        Fake("bin/dotnet", "echo \"fake dotnet $*\"");

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(_folder.File("repo/.ci/run"));
        start.Environment["PATH"] = _folder.File("bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        if (ci is null) start.Environment.Remove("CI");
        else start.Environment["CI"] = ci;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private void Fake(string relativePath, string body)
    {
        string path = _folder.File(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string Root() => MlNetInverse.Cli.Runtime.RepositoryLocator.FindRoot([AppContext.BaseDirectory])!;
}
