namespace MlNetInverse.Models.Persistence;

/// <summary>Writes a file through a temp file in the same folder and a rename, so a crash never leaves it half-written.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Fault-injection seam for the reliability tests: when set, wraps the temp-file stream the writer body sees (e.g.
    /// in one that fails after some bytes). An AsyncLocal, so it only affects the test flow that set it; null in
    /// production.
    /// </summary>
    internal static readonly AsyncLocal<Func<Stream, Stream>?> StreamFilter = new();

    /// <summary>Suffix of temp files; leftovers of a crash carry it and may be deleted.</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>Writes <paramref name="path"/> by calling <paramref name="write"/> on a temp file, flushing it to disk, then renaming it.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        string temp = path + TempSuffix;
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(StreamFilter.Value?.Invoke(stream) ?? stream);
                // Reach the disk before the rename, or a power cut could leave a renamed but empty file.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
