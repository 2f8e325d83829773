using System.Globalization;

namespace MlNetInverse.Physics.Runtime;

/// <summary>
/// How many cores the machine's other processes kept busy between two readings: the machine's busy CPU time
/// (<c>/proc/stat</c>) less this process's own (<c>/proc/self/stat</c>), over the time that passed. A trainer alone
/// on the machine reads it between epochs to decide whether a second torch thread would find a free core or wait on
/// another job (see <see cref="IdleCoreThreads"/>). Linux only; elsewhere there is no reading and callers keep
/// their fixed thread count.
/// </summary>
public sealed class OtherProcessesLoad
{
    private readonly Func<string?> _machine;
    private readonly Func<string?> _self;
    private Reading? _last;

    /// <summary>Reads this machine's <c>/proc</c>.</summary>
    public OtherProcessesLoad()
        : this(() => ReadOrNull("/proc/stat"), () => ReadOrNull("/proc/self/stat"))
    {
    }

    /// <summary>Reads the two texts from <paramref name="machine"/> and <paramref name="self"/> (tests).</summary>
    public OtherProcessesLoad(Func<string?> machine, Func<string?> self)
    {
        _machine = machine;
        _self = self;
        _last = Read();
    }

    /// <summary>
    /// Busy cores of other processes since the last call (or construction), e.g. 0.02 on an idle machine, 1.0 when
    /// another job keeps one core busy; null when <c>/proc</c> cannot be read or no time passed.
    /// </summary>
    public double? BusyCoresSinceLast()
    {
        var now = Read();
        var last = _last;
        _last = now;
        if (now is null || last is null) return null;
        double elapsedTicks = (now.Value.TotalTicks - last.Value.TotalTicks) / now.Value.Cores;
        if (elapsedTicks <= 0) return null;
        double othersBusy = (now.Value.BusyTicks - last.Value.BusyTicks) - (now.Value.OwnTicks - last.Value.OwnTicks);
        return Math.Max(0, othersBusy / elapsedTicks);
    }

    private Reading? Read()
    {
        var machine = _machine();
        var self = _self();
        if (machine is null || self is null) return null;
        return ParseMachine(machine) is { } m && ParseOwnTicks(self) is { } own ? new Reading(m.Busy, m.Total, m.Cores, own) : null;
    }

    /// <summary>
    /// From <c>/proc/stat</c>: busy ticks over all cores (user, nice, system, irq, softirq; guest time is inside user),
    /// all ticks (idle and iowait too) and the number of cores (its cpuN lines); null when malformed. Steal (the
    /// hypervisor running other machines) is left out of both: on the 2-core VMs it was 0.1 core whenever this process
    /// computed, and it is no process that a second thread would wait on (the 2-thread timing above was taken under it).
    /// </summary>
    public static (long Busy, long Total, int Cores)? ParseMachine(string procStat)
    {
        ArgumentNullException.ThrowIfNull(procStat);
        long[]? all = null;
        int cores = 0;
        foreach (var line in procStat.Split('\n'))
        {
            if (line.StartsWith("cpu ", StringComparison.Ordinal))
                all = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(ParseLong).ToArray();
            else if (line.StartsWith("cpu", StringComparison.Ordinal) && line.Length > 3 && char.IsAsciiDigit(line[3]))
                cores++;
        }
        if (all is null || all.Length < 8 || all.Any(v => v < 0) || cores == 0) return null;
        // user nice system idle iowait irq softirq steal
        long busy = all[0] + all[1] + all[2] + all[5] + all[6];
        return (busy, busy + all[3] + all[4], cores);
    }

    /// <summary>
    /// From <c>/proc/self/stat</c>: this process's user + system ticks (fields 14 and 15, counted after the command
    /// name in parentheses, which may itself hold spaces); null when malformed.
    /// </summary>
    public static long? ParseOwnTicks(string selfStat)
    {
        ArgumentNullException.ThrowIfNull(selfStat);
        int close = selfStat.LastIndexOf(')');
        if (close < 0) return null;
        // After ") " come field 3 (state) onwards, so utime (14) and stime (15) are the 12th and 13th.
        var fields = selfStat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 13) return null;
        long user = ParseLong(fields[11]), system = ParseLong(fields[12]);
        return user < 0 || system < 0 ? null : user + system;
    }

    private static long ParseLong(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : -1;

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private readonly record struct Reading(long BusyTicks, long TotalTicks, int Cores, long OwnTicks);
}
