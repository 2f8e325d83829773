namespace MlNetInverse.Physics.Runtime;

/// <summary>Whether to re-execute the process with tcmalloc preloaded, and why.</summary>
/// <param name="PreloadLibrary">The library to put in LD_PRELOAD for the re-executed process; null to continue as is.</param>
/// <param name="Reason">A short human-readable reason (shown by <c>info</c>).</param>
public sealed record AllocatorDecision(string? PreloadLibrary, string Reason)
{
    /// <summary>True when the process should re-execute itself with <see cref="PreloadLibrary"/> preloaded.</summary>
    public bool Reexecute => PreloadLibrary is not null;
}
