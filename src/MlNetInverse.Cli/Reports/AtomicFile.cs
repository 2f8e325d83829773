namespace MlNetInverse.Cli.Reports;

/// <summary>Writes report files (JSON, PNG) through a temp file in the same folder and a rename, so a crash never leaves one half-written.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Fault-injection seam for the reliability tests: when set, wraps the temp-file stream the writer body sees (e.g.
    /// in one that fails after some bytes). An AsyncLocal, so it only affects the test flow that set it; null in
    /// production.
    /// </summary>
    internal static readonly AsyncLocal<Func<Stream, Stream>?> StreamFilter = new();

    /// <summary>Writes what <paramref name="write"/> puts in the stream to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(StreamFilter.Value?.Invoke(stream) ?? stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });
}
