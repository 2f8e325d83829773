using System.Globalization;

namespace MlNetInverse.Physics.Runtime;

/// <summary>
/// The one check every memory estimate goes through before allocating: a run whose estimate exceeds 80 % of the memory
/// this process may use (the GC's view: the machine's or the container's limit) ends in one line instead of an OOM
/// kill, an overflow or a native frame dump.
/// </summary>
public static class MemoryBudget
{
    /// <summary>Set to 1 to run even when an estimate exceeds the memory available.</summary>
    public const string OverrideVariable = "MLNET_INVERSE_IGNORE_MEMORY_ESTIMATE";

    /// <summary>Bytes this process may use (0 when unknown).</summary>
    public static double AvailableBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Throws when <paramref name="neededBytes"/> exceeds 80 % of <see cref="AvailableBytes"/> (unless <see cref="OverrideVariable"/> is 1).</summary>
    /// <param name="neededBytes">The estimate.</param>
    /// <param name="what">What needs it and why, e.g. "RCWA with 16129 harmonics needs about {0} (32 complex matrices ...)"; {0} receives the estimate.</param>
    /// <param name="wayOut">What the user can change, e.g. "Use fewer harmonics or workers".</param>
    /// <exception cref="InsufficientMemoryException">It would not fit; the message gives the estimate, the memory available and the way out.</exception>
    public static void Check(double neededBytes, string what, string wayOut)
    {
        double available = AvailableBytes;
        if (available <= 0 || neededBytes <= 0.8 * available || Environment.GetEnvironmentVariable(OverrideVariable) == "1") return;
        throw new InsufficientMemoryException(string.Format(CultureInfo.InvariantCulture, what, Gigabytes(neededBytes))
            + string.Create(CultureInfo.InvariantCulture, $"; this machine has {Gigabytes(available)} available. {wayOut}, or set {OverrideVariable}=1 to try anyway."));
    }

    /// <summary>Bytes as "12.3 GB".</summary>
    public static string Gigabytes(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:G3} GB");
}
