namespace MlNetInverse.Physics.Runtime;

/// <summary>Whether to re-execute the process with tcmalloc preloaded or glibc malloc tuned, and why.</summary>
/// <param name="PreloadLibrary">The library to put in LD_PRELOAD for the re-executed process; null to continue as is.</param>
/// <param name="Reason">A short human-readable reason (shown by <c>info</c>).</param>
public sealed record AllocatorDecision(string? PreloadLibrary, string Reason)
{
    /// <summary>The GLIBC_TUNABLES value for the re-executed process (tcmalloc missing); null to leave it as is.</summary>
    public string? Tunables { get; init; }

    /// <summary>True when the process should re-execute itself with <see cref="PreloadLibrary"/> or <see cref="Tunables"/>.</summary>
    public bool Reexecute => PreloadLibrary is not null || Tunables is not null;
}
