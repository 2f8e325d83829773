namespace MlNetInverse.Physics.Runtime;

/// <summary>
/// Torch threads for a trainer that runs alone: its fixed count, plus the cores nobody else used during its last epoch,
/// up to a ceiling. Measured on a 2-core VM (MDN stage of pipelines/quick.json, identical weights at either count):
/// 162 s at 2 threads vs 221 s at 1 on an idle machine, but 497 s at 2 vs 258 s at 1 while another process kept one
/// core busy, because OpenMP threads of one matrix product then wait on each other. So the second thread is taken
/// only while its core is free and given back after an epoch in which another process wanted it.
/// </summary>
public static class IdleCoreThreads
{
    /// <summary>Load below this many busy cores (daemons, a shell) still counts as a free core.</summary>
    public const double Slack = 0.1;

    /// <summary>
    /// The count for the next epoch: <paramref name="threads"/> plus the whole cores that the other processes
    /// (<paramref name="othersBusyCores"/>, from <see cref="OtherProcessesLoad"/>) and those threads left free, at most
    /// <paramref name="threadsWhenIdle"/>; just <paramref name="threads"/> when there is no reading.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> or <paramref name="cores"/> below 1.</exception>
    public static int For(double? othersBusyCores, int threads, int threadsWhenIdle, int cores)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cores, 1);
        if (othersBusyCores is not { } busy || !double.IsFinite(busy) || threadsWhenIdle <= threads) return threads;
        int free = (int)Math.Floor(cores - threads - busy + Slack);
        return threads + Math.Clamp(free, 0, threadsWhenIdle - threads);
    }
}
