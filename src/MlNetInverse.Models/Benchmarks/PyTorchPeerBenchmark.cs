using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Models.Benchmarks;

/// <summary>Runs the PyTorch peer script (pytorch_vqvae_bench.py, arguments K D threads) and parses its TRAIN and DECODE lines.</summary>
public static partial class PyTorchPeerBenchmark
{
    /// <summary>The interpreter the peer numbers were measured with (Debian's python3-torch).</summary>
    public const string DefaultPython = "/usr/bin/python3";

    /// <summary>How to get PyTorch on Debian/Ubuntu.</summary>
    public const string InstallHint = "apt-get install -y python3-torch";

    /// <summary>True when <paramref name="python"/> runs and can import torch.</summary>
    public static bool IsAvailable(string python = DefaultPython)
    {
        if (!File.Exists(python)) return false;
        try
        {
            var (exitCode, _) = RunProcess(python, ["-c", "import torch"], TimeSpan.FromSeconds(120), CancellationToken.None);
            return exitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Runs <paramref name="script"/> with K, D and thread count, and parses its output.</summary>
    /// <exception cref="InvalidOperationException">The script failed or printed no TRAIN/DECODE line; the message holds its output.</exception>
    /// <exception cref="TimeoutException">The script ran longer than <paramref name="timeout"/> (it was stopped).</exception>
    public static TrainStepBenchmarkResult Run(
        string script, int codebookSize, int codeDimension, int threads, TimeSpan timeout, string python = DefaultPython, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(script)) throw new FileNotFoundException($"PyTorch peer script '{script}' does not exist.", script);
        var arguments = new[] { script, Text(codebookSize), Text(codeDimension), Text(threads) };
        var (exitCode, output) = RunProcess(python, arguments, timeout, cancellationToken);
        if (exitCode != 0) throw new InvalidOperationException($"{python} {string.Join(' ', arguments)} exited with {exitCode}:{Environment.NewLine}{output}");
        return Parse(output);
    }

    /// <summary>Parses the peer script's output (header line with the version, threads and batch; TRAIN and DECODE lines).</summary>
    /// <exception cref="InvalidOperationException">A required line is missing; the message holds the output.</exception>
    public static TrainStepBenchmarkResult Parse(string output)
    {
        var header = HeaderLine().Match(output);
        var train = TrainLine().Match(output);
        var decode = DecodeLine().Match(output);
        if (!header.Success || !train.Success || !decode.Success)
            throw new InvalidOperationException($"The PyTorch peer output lacks its header, TRAIN or DECODE line:{Environment.NewLine}{output}");
        return new TrainStepBenchmarkResult(
            $"PyTorch {header.Groups["version"].Value}",
            int.Parse(header.Groups["batch"].Value, CultureInfo.InvariantCulture),
            int.Parse(header.Groups["threads"].Value, CultureInfo.InvariantCulture),
            Number(train.Groups["median"]), Number(train.Groups["min"]), Number(train.Groups["max"]), Number(decode.Groups["median"]));
    }

    private static (int ExitCode, string Output) RunProcess(string file, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeoutSource = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            process.WaitForExitAsync(linked.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{file} ran longer than {timeout.TotalSeconds:F0} s and was stopped.");
        }
        return (process.ExitCode, stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult());
    }

    private static double Number(Group group) => double.Parse(group.Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"PyTorch (?<version>\S+) threads=(?<threads>\d+) K=\d+ D=\d+ B=(?<batch>\d+)")]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"TRAIN step .*?wall-median=(?<median>[0-9.]+) ms\s+min=(?<min>[0-9.]+)\s+max=(?<max>[0-9.]+)")]
    private static partial Regex TrainLine();

    [GeneratedRegex(@"DECODE-only batch \d+: median=(?<median>[0-9.]+) ms")]
    private static partial Regex DecodeLine();
}
