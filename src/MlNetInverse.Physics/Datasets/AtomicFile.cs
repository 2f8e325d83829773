namespace MlNetInverse.Physics.Datasets;

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

    public static async Task WriteAsync(string path, Func<Stream, Task> write, CancellationToken cancellationToken = default)
    {
        string temp = path + TempSuffix;
        try
        {
            await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
            {
                await write(StreamFilter.Value?.Invoke(stream) ?? stream);
                await stream.FlushAsync(cancellationToken);
                // Reach the disk before the rename, or a power cut could leave a renamed but empty file.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken = default) =>
        WriteAsync(path, async stream =>
        {
            await using var writer = new StreamWriter(stream, leaveOpen: true);
            await writer.WriteAsync(text.AsMemory(), cancellationToken);
        }, cancellationToken);

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
