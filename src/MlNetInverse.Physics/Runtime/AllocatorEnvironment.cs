using System.Runtime.InteropServices;

namespace MlNetInverse.Physics.Runtime;

/// <summary>The facts the fast-allocator decision depends on, gathered once so the decision itself is a pure function.</summary>
/// <param name="IsLinux">True on Linux (the only platform where LD_PRELOAD applies).</param>
/// <param name="Architecture">Process architecture (selects the multiarch library folder).</param>
/// <param name="LdPreload">Current value of LD_PRELOAD, or null.</param>
/// <param name="AllocatorSetting">Value of MLNET_INVERSE_ALLOCATOR, or null ("system" opts out).</param>
/// <param name="ReexecMarker">Value of the marker variable a re-executed child carries, or null.</param>
/// <param name="FileExists">Tells whether a library file exists.</param>
public sealed record AllocatorEnvironment(
    bool IsLinux,
    Architecture Architecture,
    string? LdPreload,
    string? AllocatorSetting,
    string? ReexecMarker,
    Func<string, bool> FileExists)
{
    /// <summary>Current value of GLIBC_TUNABLES, or null (malloc settings there are the user's choice and kept).</summary>
    public string? GlibcTunables { get; init; }

    /// <summary>The facts of the running process.</summary>
    public static AllocatorEnvironment Current() => new(
        OperatingSystem.IsLinux(),
        RuntimeInformation.ProcessArchitecture,
        Environment.GetEnvironmentVariable("LD_PRELOAD"),
        Environment.GetEnvironmentVariable(FastAllocator.SettingVariable),
        Environment.GetEnvironmentVariable(FastAllocator.MarkerVariable),
        File.Exists)
    {
        GlibcTunables = Environment.GetEnvironmentVariable("GLIBC_TUNABLES"),
    };
}
