using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;

namespace MlNetInverse.Tests.ML;

/// <summary>
/// Loads a model zip in a brand-new process and writes the probe's scores, so a test can prove that nothing of the
/// saving process (ML.NET's component catalog, TorchSharp state, static caches) is needed to load a model.
/// The child is this test assembly itself, started with <c>dotnet MlNetInverse.Tests.dll</c>: the test SDK gives
/// it an empty Main, and the runtime's startup-hook mechanism (DOTNET_STARTUP_HOOKS) runs <see cref="StartupHook"/>
/// first, which does the work and exits. This avoids a second executable project that would copy ~1 GB of libtorch.
/// </summary>
internal static class FreshProcessModelRun
{
    public const string ModelVariable = "MLNET_INVERSE_FRESH_PROCESS_MODEL";
    public const string OutputVariable = "MLNET_INVERSE_FRESH_PROCESS_OUTPUT";

    /// <summary>Runs the child on <paramref name="modelPath"/> and returns the scores it computed for <see cref="ProbeData.Rows"/>(64).</summary>
    public static float[] Scores(string modelPath, string outputPath)
    {
        var assembly = typeof(FreshProcessModelRun).Assembly.Location;
        var start = new ProcessStartInfo(Environment.ProcessPath?.EndsWith("dotnet", StringComparison.Ordinal) == true ? Environment.ProcessPath : "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["DOTNET_STARTUP_HOOKS"] = assembly;
        start.Environment[ModelVariable] = modelPath;
        start.Environment[OutputVariable] = outputPath;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the child process");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the fresh-process model run did not finish in 2 minutes");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"the fresh-process model run exited with {process.ExitCode}: {stderr.Result} {stdout.Result}");
        return File.ReadAllLines(outputPath)
            .Select(line => BitConverter.Int32BitsToSingle(int.Parse(line, CultureInfo.InvariantCulture)))
            .ToArray();
    }

    /// <summary>The child's work: load, score, write raw float bits one per line.</summary>
    internal static void RunChild(string modelPath, string outputPath)
    {
        var mlContext = new MLContext(seed: 5);
        var model = mlContext.Model.Load(modelPath, out _);
        var scores = ProbeData.Scores(model, mlContext.Data.LoadFromEnumerable(ProbeData.Rows(64)));
        File.WriteAllLines(outputPath, scores.Select(s => BitConverter.SingleToInt32Bits(s).ToString(CultureInfo.InvariantCulture)));
    }
}
