namespace MlNetInverse.ML.Internals;

/// <summary>Writes a file through a temp file in the same folder and a rename, so a crash never leaves it half-written.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Fault-injection seam for the reliability tests: when set, wraps the temp-file stream the writer body sees (e.g.
    /// in one that fails after some bytes). An AsyncLocal, so it only affects the test flow that set it; null in
    /// production.
    /// </summary>
    internal static readonly AsyncLocal<Func<Stream, Stream>?> StreamFilter = new();

    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Folder '{folder}' for '{path}' does not exist.");
        var temp = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                write(StreamFilter.Value?.Invoke(stream) ?? stream);
                // Reach the disk before the rename, or a power cut could leave a renamed but empty file.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
