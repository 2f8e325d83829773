namespace MlNetInverse.Physics.Storage;

/// <summary>
/// What a command may find in its output folder before it writes: its own files (a rerun resumes or replaces them),
/// run locks, and temp files of an interrupted atomic write. Anything else belongs to something else, and a command
/// that writes into the folder anyway would mix its files with it.
/// </summary>
public static class OutputFolderContents
{
    /// <summary>Names of entries of <paramref name="folder"/> that are not the command's own (<paramref name="isOwn"/>), sorted.</summary>
    public static string[] Foreign(string folder, Func<string, bool> isOwn)
    {
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFileSystemEntries(folder).Select(entry => Path.GetFileName(entry)!)
            .Where(name => !isOwn(name) && !IsLockOrTemp(name)).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Throws unless every entry of <paramref name="folder"/> is the command's own, a lock or a temp file.</summary>
    /// <param name="folder">The output folder (absent is fine).</param>
    /// <param name="isOwn">Whether an entry name (file or folder) is one the command writes.</param>
    /// <param name="command">The command, for the message (e.g. "evaluate").</param>
    /// <exception cref="OutputExistsException">Other entries; the message names up to three.</exception>
    public static void RefuseForeign(string folder, Func<string, bool> isOwn, string command)
    {
        var foreign = Foreign(folder, isOwn);
        if (foreign.Length == 0) return;
        throw new OutputExistsException(Path.GetFullPath(folder),
            $"holds files that are no output of '{command}' ('{string.Join("', '", foreign.Take(3))}'{(foreign.Length > 3 ? $" and {foreign.Length - 3} more" : "")})");
    }

    private static bool IsLockOrTemp(string name) =>
        (name.StartsWith('.') && name.EndsWith(OutputLock.Suffix, StringComparison.Ordinal))   // the run's lock, a shard's lock
        || name.Contains(AtomicFile.TempSuffix, StringComparison.Ordinal);                      // a write a crash interrupted
}
