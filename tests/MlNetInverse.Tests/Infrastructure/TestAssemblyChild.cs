using System.Diagnostics;

namespace MlNetInverse.Tests.Infrastructure;

/// <summary>
/// Starts this test assembly as a brand-new process (<c>dotnet MlNetInverse.Tests.dll</c>: the test SDK gives it an empty
/// Main, and DOTNET_STARTUP_HOOKS runs <c>StartupHook</c> first, which reads <paramref name="environment"/>, does the work
/// and exits), so a test sees what a fresh process does without a second executable project (~1 GB of libtorch).
/// </summary>
internal static class TestAssemblyChild
{
    /// <summary>Runs the child with <paramref name="environment"/> set and waits (2 minutes at most).</summary>
    /// <exception cref="TimeoutException">The child did not finish.</exception>
    /// <exception cref="InvalidOperationException">The child exited with another code than 0; the message holds its output.</exception>
    public static void Run(IReadOnlyDictionary<string, string> environment, string what)
    {
        var assembly = typeof(TestAssemblyChild).Assembly.Location;
        var start = new ProcessStartInfo(Environment.ProcessPath?.EndsWith("dotnet", StringComparison.Ordinal) == true ? Environment.ProcessPath : "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["DOTNET_STARTUP_HOOKS"] = assembly;
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {what}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not finish in 2 minutes");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{what} exited with {process.ExitCode}: {stderr.Result} {stdout.Result}");
    }
}
