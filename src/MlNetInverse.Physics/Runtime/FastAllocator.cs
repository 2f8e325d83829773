using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace MlNetInverse.Physics.Runtime;

/// <summary>
/// Makes tcmalloc the default allocator on Linux. With glibc malloc, TorchSharp training runs 4-7x slower on the
/// project's VMs (first touch of fresh pages is slow), and users should get the fast path without knowing about it.
/// Preloading only works at process start, so the process re-executes itself once with LD_PRELOAD set. Where tcmalloc
/// is not installed it re-executes with <see cref="TunedGlibc"/> instead: glibc keeps freed blocks for reuse and backs
/// them with transparent huge pages, measured within 2-3 % of tcmalloc (train step) and 7-13 % (batch scoring) against
/// 4-5x slower untuned. An application on the library gets the same by making
/// <see cref="RunWithFastAllocatorIfAvailable"/> the first line of Main (before any side effect, since the process runs
/// again): <c>if (FastAllocator.RunWithFastAllocatorIfAvailable() is { } exit) return exit;</c>
/// </summary>
public static class FastAllocator
{
    /// <summary>Set to "system" to keep the glibc allocator.</summary>
    public const string SettingVariable = "MLNET_INVERSE_ALLOCATOR";

    /// <summary>Set in the re-executed child so it never re-executes again.</summary>
    public const string MarkerVariable = "MLNET_INVERSE_ALLOCATOR_REEXEC";

    /// <summary>
    /// glibc malloc settings for when tcmalloc is missing: blocks up to 32 MB (glibc's ceiling) come from the heap instead
    /// of fresh mmaps, the heap is not trimmed below 4 GB of free space or grown by less than 256 MB, and it asks for
    /// transparent huge pages (a 2 MB page faults once where 512 small pages fault 512 times; a no-op where THP is off).
    /// Every freed tensor's pages are reused instead of faulted in again: on these VMs a first touch costs about 10 us
    /// per 4 KB page (measured), which untuned glibc pays on every large tensor.
    /// </summary>
    public const string TunedGlibc = "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967296:glibc.malloc.top_pad=268435456";

    /// <summary>The Debian/Ubuntu package that provides the library.</summary>
    public const string InstallHint = "apt-get install libtcmalloc-minimal4";

    private const int SigTerm = 15;

    /// <summary>Where Debian's libtcmalloc-minimal4 puts the library for this architecture; null for unsupported ones.</summary>
    public static string? LibraryPath(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4",
        Architecture.Arm64 => "/usr/lib/aarch64-linux-gnu/libtcmalloc_minimal.so.4",
        _ => null,
    };

    /// <summary>Decides whether to re-execute with tcmalloc preloaded. Pure: everything it needs is in <paramref name="environment"/>.</summary>
    public static AllocatorDecision Decide(AllocatorEnvironment environment)
    {
        if (!environment.IsLinux) return new(null, "not Linux");
        if (!string.IsNullOrEmpty(environment.ReexecMarker)) return new(null, "already re-executed");
        if (string.Equals(environment.AllocatorSetting?.Trim(), "system", StringComparison.OrdinalIgnoreCase))
            return new(null, $"{SettingVariable}=system");
        if (environment.LdPreload is { } preload && preload.Contains("tcmalloc", StringComparison.Ordinal))
            return new(null, "LD_PRELOAD already names tcmalloc");
        var library = LibraryPath(environment.Architecture);
        string missing = library is null ? $"no known tcmalloc location for {environment.Architecture}" : $"{library} is not installed";
        if (library is not null && environment.FileExists(library)) return new(library, "tcmalloc found");
        // The user's own malloc tunables win: they asked for that allocator behaviour.
        if (environment.GlibcTunables is { } tunables && tunables.Contains("glibc.malloc.", StringComparison.Ordinal))
            return new(null, $"{missing}; GLIBC_TUNABLES already sets glibc malloc");
        return new(null, $"{missing}; glibc malloc tuned instead") { Tunables = TunablesValue(environment.GlibcTunables) };
    }

    /// <summary>The GLIBC_TUNABLES value for the child: <see cref="TunedGlibc"/>, then whatever was set already.</summary>
    public static string TunablesValue(string? existing) =>
        string.IsNullOrWhiteSpace(existing) ? TunedGlibc : $"{TunedGlibc}:{existing}";

    /// <summary>The LD_PRELOAD value for the child: the library first, then whatever was preloaded already.</summary>
    public static string PreloadValue(string library, string? existing) =>
        string.IsNullOrWhiteSpace(existing) ? library : $"{library}:{existing}";

    /// <summary>Splits the NUL-separated bytes of /proc/self/cmdline into argv (argv[0] included).</summary>
    public static string[] ParseCommandLine(ReadOnlySpan<byte> cmdline)
    {
        var text = Encoding.UTF8.GetString(cmdline);
        if (text.EndsWith('\0')) text = text[..^1];
        return text.Length == 0 ? [] : text.Split('\0');
    }

    /// <summary>True when tcmalloc is mapped into this process (read from /proc/self/maps).</summary>
    public static bool IsTcmallocLoaded()
    {
        try
        {
            return File.Exists("/proc/self/maps")
                && File.ReadLines("/proc/self/maps").Any(line => line.Contains("tcmalloc", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>A one-line description of the allocator in use, with the install hint when tcmalloc is missing.</summary>
    public static string Describe()
    {
        if (IsTcmallocLoaded()) return "tcmalloc (fast allocator)";
        if (!OperatingSystem.IsLinux()) return "system allocator";
        if (Environment.GetEnvironmentVariable("GLIBC_TUNABLES")?.Contains(TunedGlibc, StringComparison.Ordinal) == true)
            return $"glibc malloc, tuned (freed blocks reused, huge pages; near tcmalloc speed, or {InstallHint})";
        var decision = Decide(AllocatorEnvironment.Current() with { ReexecMarker = null });
        if (decision.Reason == $"{SettingVariable}=system") return $"glibc malloc ({SettingVariable}=system)";
        return decision.PreloadLibrary is not null
            ? "glibc malloc (tcmalloc is installed but was not preloaded)"
            : $"glibc malloc, untuned; TorchSharp training is 4-7x faster with tcmalloc: {InstallHint}";
    }

    /// <summary>
    /// Re-executes this process with tcmalloc preloaded when <see cref="Decide"/> says so, waits for it and returns
    /// its exit code; returns null when the current process should simply continue.
    /// </summary>
    public static int? RunWithFastAllocatorIfAvailable()
    {
        var decision = Decide(AllocatorEnvironment.Current());
        if (!decision.Reexecute || Environment.ProcessPath is not { } executable) return null;
        string[] argv;
        try
        {
            // The exact original argv keeps `dotnet mlnet-inverse.dll ...` and host options working, not just the apphost.
            argv = ParseCommandLine(File.ReadAllBytes("/proc/self/cmdline"));
        }
        catch (IOException)
        {
            return null;
        }
        if (argv.Length == 0) return null;

        var start = new ProcessStartInfo(executable) { UseShellExecute = false };
        foreach (var argument in argv.Skip(1)) start.ArgumentList.Add(argument);
        if (decision.PreloadLibrary is { } library)
            start.Environment["LD_PRELOAD"] = PreloadValue(library, Environment.GetEnvironmentVariable("LD_PRELOAD"));
        if (decision.Tunables is { } tunables) start.Environment["GLIBC_TUNABLES"] = tunables;
        start.Environment[MarkerVariable] = "1";

        Process child;
        try
        {
            child = Process.Start(start) ?? throw new InvalidOperationException("no process started");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null; // Could not re-execute: run with the system allocator rather than fail.
        }
        using (child)
        {
            // The terminal delivers Ctrl-C to the child too; the parent only waits and forwards the exit code.
            ConsoleCancelEventHandler ignore = (_, e) => e.Cancel = true;
            Console.CancelKeyPress += ignore;
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                _ = Kill(child.Id, SigTerm);
            });
            child.WaitForExit();
            Console.CancelKeyPress -= ignore;
            return child.ExitCode;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
