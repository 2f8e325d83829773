using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MlNetInverse.Tests.Cluster;

/// <summary>
/// A Slurm cluster reachable from this machine through its client commands (sbatch, squeue, scontrol). Found through
/// SLURM_CONF, else the configuration .ci/local-slurm.sh writes, else the system's default. Nothing here starts
/// daemons: .ci/run (through .ci/local-slurm.sh start) does.
/// </summary>
internal sealed partial class LocalSlurm
{
    /// <summary>Where .ci/local-slurm.sh writes its slurm.conf (its default MLNET_INVERSE_SLURM_DIR).</summary>
    public const string LocalConfiguration = "/tmp/mlnet-inverse-slurm/slurm.conf";

    private static readonly string[] FinalStates =
        ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE"];

    private readonly string? _configuration;

    private LocalSlurm(string? configuration) => _configuration = configuration;

    /// <summary>The cluster, or null with the reason when none answers or no node can run jobs.</summary>
    public static LocalSlurm? Find(out string reason)
    {
        string? configuration = Environment.GetEnvironmentVariable("SLURM_CONF");
        if (string.IsNullOrEmpty(configuration) && File.Exists(LocalConfiguration)) configuration = LocalConfiguration;
        var slurm = new LocalSlurm(configuration);
        string where = configuration is null ? "the default Slurm configuration" : $"SLURM_CONF={configuration}";
        CommandResult nodes;
        try
        {
            nodes = slurm.Run("sinfo", TimeSpan.FromSeconds(20), "-h", "-N", "-o", "%N %T");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            reason = $"no Slurm client on this machine (sinfo: {e.Message}); run .ci/local-slurm.sh start (installs slurm-wlm and starts a one-node cluster)";
            return null;
        }
        if (nodes.ExitCode != 0)
        {
            reason = $"Slurm is not reachable with {where} (sinfo exit {nodes.ExitCode}: {nodes.Stderr.Trim()}); run .ci/local-slurm.sh start";
            return null;
        }
        if (!nodes.Stdout.Split('\n').Any(line => Regex.IsMatch(line, @"\s(idle|mixed|allocated|completing)\S*\s*$")))
        {
            reason = $"Slurm answers with {where} but no node can run jobs (sinfo: '{nodes.Stdout.Trim()}')";
            return null;
        }
        reason = "";
        return slurm;
    }

    /// <summary>Runs a Slurm client (or any program) with this cluster's configuration; kills it after <paramref name="timeout"/>.</summary>
    public CommandResult Run(string program, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (_configuration is not null) start.Environment["SLURM_CONF"] = _configuration;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return new CommandResult(-1, stdout.Result, $"{program} timed out after {timeout.TotalSeconds:F0} s. {stderr.Result}");
        }
        process.WaitForExit();
        return new CommandResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Polls scontrol until every job (an array job counts all its tasks) is in a final state, or the deadline; returns
    /// "id state" lines, with PENDING/RUNNING ones left when the deadline passed.
    /// </summary>
    public IReadOnlyList<string> WaitForJobs(TimeSpan timeout, params string[] jobIds)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var states = new List<string>();
            foreach (var id in jobIds)
            {
                var show = Run("scontrol", TimeSpan.FromSeconds(20), "show", "job", "-o", id);
                foreach (Match m in JobLine().Matches(show.Stdout)) states.Add($"{m.Groups["id"].Value} {m.Groups["state"].Value}");
                if (show.ExitCode != 0) states.Add($"{id} UNKNOWN ({show.Stderr.Trim()})");
            }
            bool done = states.Count > 0 && states.All(s => FinalStates.Contains(s.Split(' ')[1]));
            if (done || clock.Elapsed > timeout) return states;
            Thread.Sleep(500);
        }
    }

    [GeneratedRegex(@"JobId=(?<id>\d+)[^\n]*?JobState=(?<state>[A-Z_]+)")]
    private static partial Regex JobLine();

    /// <summary>The exit code and output of one command.</summary>
    internal sealed record CommandResult(int ExitCode, string Stdout, string Stderr);
}
