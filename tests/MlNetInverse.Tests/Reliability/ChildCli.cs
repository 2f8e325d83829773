using System.Diagnostics;
using MlNetInverse.Cli.Runtime;
using MlNetInverse.Physics.Runtime;
using MlNetInverse.Tests.Cli;

namespace MlNetInverse.Tests.Reliability;

/// <summary>
/// Runs the real mlnet-inverse executable (the Cli project's mlnet-inverse.dll, copied next to the tests) as a child
/// process, so a test can kill it like a crash would. The allocator re-execution is switched off (tcmalloc is
/// preloaded directly when installed), so the process the test holds is the one that trains.
/// </summary>
internal static class ChildCli
{
    public static Process Start(params string[] args)
    {
        var dotnet = Environment.ProcessPath?.EndsWith("dotnet", StringComparison.Ordinal) == true ? Environment.ProcessPath : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mlnet-inverse.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment[FastAllocator.MarkerVariable] = "1";
        var tcmalloc = FastAllocator.LibraryPath(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture);
        if (tcmalloc is not null && File.Exists(tcmalloc)) start.Environment["LD_PRELOAD"] = tcmalloc;
        // The test host's startup hook must not run in the CLI.
        start.Environment.Remove("DOTNET_STARTUP_HOOKS");
        return Process.Start(start) ?? throw new InvalidOperationException("could not start mlnet-inverse");
    }

    /// <summary>Runs the command to its end (at most two minutes).</summary>
    public static CliRun Run(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mlnet-inverse {string.Join(' ', args)} did not finish in 2 minutes");
        }
        return new CliRun(process.ExitCode, stdout.Result, stderr.Result);
    }
}
