using System.Text;

namespace MlNetInverse.Physics.Storage;

/// <summary>
/// An exclusive, OS-held lock on one output for the whole run that writes it: a <c>&lt;output&gt;.lock</c> file
/// opened with <see cref="FileShare.None"/> (an advisory <c>flock</c> on Linux, a sharing lock on Windows). The
/// operating system drops it when the process ends, however it ends (kill -9 included), so a lock file left behind
/// never blocks a later run. The holder's description (command line, process id, host, start time) is written into
/// the file, so a second run can name who holds it. On release the file is deleted (on Unix); a run that had opened
/// it just before the delete finds its note missing from the path and tries again, so two runs never both hold a lock.
/// </summary>
public sealed class OutputLock : IDisposable
{
    /// <summary>Suffix of lock files beside file outputs (<c>out.parquet.lock</c>).</summary>
    public const string Suffix = ".lock";

    private readonly FileStream _stream;
    private readonly bool _createdFolder;

    private OutputLock(string output, string lockPath, FileStream stream, bool createdFolder)
    {
        Output = output;
        LockPath = lockPath;
        _stream = stream;
        _createdFolder = createdFolder;
    }

    /// <summary>Full path of the output this lock protects.</summary>
    public string Output { get; }

    /// <summary>Full path of the lock file.</summary>
    public string LockPath { get; }

    /// <summary>Locks the file output <paramref name="output"/> through <c>&lt;output&gt;.lock</c>.</summary>
    /// <param name="output">The file the run writes (its parts folder and temp files are covered too).</param>
    /// <param name="holder">What the run is, for the message a second run prints (e.g. its command line).</param>
    /// <exception cref="OutputLockedException">Another run holds the lock; the message names the output and the holder.</exception>
    public static OutputLock ForFile(string output, string holder)
    {
        var full = Path.GetFullPath(output);
        return Acquire(full, full + Suffix, holder);
    }

    /// <summary>
    /// Locks the folder output <paramref name="folder"/> through <c>folder/.lock</c>, or <c>folder/.NAME.lock</c> when
    /// <paramref name="part"/> names the share of the folder this run writes (a shard of an array that fills one folder).
    /// </summary>
    /// <exception cref="OutputLockedException">Another run holds the lock; the message names the output and the holder.</exception>
    public static OutputLock ForFolder(string folder, string holder, string? part = null)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        return Acquire(full, Path.Combine(full, part is null ? Suffix : $".{part}{Suffix}"), holder);
    }

    /// <summary>Releases the lock (the OS does the same when the process dies) and removes the lock file.</summary>
    public void Dispose()
    {
        if (_stream.SafeFileHandle.IsClosed) return;
        // Deleted while still held, so no other run can take over a path that is about to vanish (Windows refuses
        // deleting an open file; the file stays there, harmless).
        if (!OperatingSystem.IsWindows())
        {
            try { File.Delete(LockPath); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        _stream.Dispose();
        // A run that failed before writing anything leaves no empty folder behind.
        string folder = Path.GetDirectoryName(LockPath)!;
        try { if (_createdFolder && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private const int Attempts = 5;

    private static OutputLock Acquire(string output, string lockPath, string holder)
    {
        bool createdFolder = !Directory.Exists(Path.GetDirectoryName(lockPath));
        CreateFolder(Path.GetDirectoryName(lockPath)!);
        for (int attempt = 1; ; attempt++)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
            {
                // Gone already: the holder released it between our open and now, so try again.
                if (!File.Exists(lockPath) && attempt < Attempts) continue;
                throw new OutputLockedException(output, lockPath, LockHolderNote.TryRead(lockPath), e);
            }
            string note;
            try
            {
                note = Describe(holder);
                stream.SetLength(0);
                stream.Write(Encoding.UTF8.GetBytes(note));
                stream.Flush(flushToDisk: true);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
            // The path must still lead to the file we locked: the previous holder may have deleted it between our open
            // and our lock, and a third run may have created a new one since.
            string? onPath = File.Exists(lockPath) ? LockHolderNote.TryRead(lockPath) ?? note.Trim() : null;
            if (onPath == note.Trim()) return new OutputLock(output, lockPath, stream, createdFolder);
            stream.Dispose();
            if (attempt == Attempts) throw new OutputLockedException(output, lockPath, onPath);
        }
    }

    /// <summary>Creates the output's folder, naming the file in the way when a path component is one.</summary>
    private static void CreateFolder(string folder)
    {
        for (var blocking = folder; blocking is not null; blocking = Path.GetDirectoryName(blocking))
            if (File.Exists(blocking)) throw new IOException($"Output folder '{folder}' cannot be created: '{blocking}' is a file.");
        Directory.CreateDirectory(folder);
    }

    private static string Describe(string holder) => FormattableString.Invariant(
        $"'{holder.ReplaceLineEndings(" ")}', process {Environment.ProcessId} on {Environment.MachineName} since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss.fff} UTC\n");
}
