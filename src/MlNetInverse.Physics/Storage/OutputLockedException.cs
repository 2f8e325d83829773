namespace MlNetInverse.Physics.Storage;

/// <summary>An output is locked by another run (see <see cref="OutputLock"/>); the message names the output and the holder.</summary>
public sealed class OutputLockedException : IOException
{
    /// <summary>Creates the exception for <paramref name="output"/> held through <paramref name="lockPath"/>.</summary>
    public OutputLockedException(string output, string lockPath, string? holder, Exception? inner = null)
        : base(Describe(output, lockPath, holder), inner)
    {
        Output = output;
        LockPath = lockPath;
        Holder = holder;
    }

    /// <summary>Full path of the locked output.</summary>
    public string Output { get; }

    /// <summary>Full path of the lock file.</summary>
    public string LockPath { get; }

    /// <summary>The holder's description as it wrote it into the lock file, or null when it could not be read.</summary>
    public string? Holder { get; }

    private static string Describe(string output, string lockPath, string? holder) =>
        $"'{output}' is being written by another run: {(string.IsNullOrWhiteSpace(holder) ? $"holder unknown, lock file '{lockPath}'" : holder.Trim())}; " +
        "wait for it to finish or choose another output.";
}
