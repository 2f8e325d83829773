using System.Globalization;

namespace MlNetInverse.ML.Scoring;

/// <summary>
/// This process's resident memory from /proc/self/status (Linux): VmRSS now and VmHWM, the peak since the start or
/// the last <see cref="ResetPeak"/>. Elsewhere both read 0.
/// </summary>
public static class ProcessMemory
{
    /// <summary>Resident set size now (bytes).</summary>
    public static long ResidentBytes => Read("VmRSS:");

    /// <summary>Peak resident set size (bytes): VmHWM.</summary>
    public static long PeakResidentBytes => Read("VmHWM:");

    /// <summary>
    /// Resets VmHWM to the current RSS (writes 5 to /proc/self/clear_refs, Linux 4.0+), so the next peak belongs to
    /// the work that follows. Returns false where that is not possible.
    /// </summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    private static long Read(string key)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return 0;
        foreach (var line in File.ReadLines(status))
        {
            if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
            var parts = line[key.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024; // reported in kB
        }
        return 0;
    }
}
