namespace MlNetInverse.ML.Persistence;

/// <summary>
/// Copies TorchSharp models through their own save format, so two transformers never share one module (disposing or
/// moving one must not change the other).
/// </summary>
internal static class ModelBytes
{
    /// <summary>The bytes <paramref name="save"/> writes.</summary>
    public static byte[] Capture(Action<BinaryWriter> save)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            save(writer);
            writer.Flush();
        }
        return buffer.ToArray();
    }

    /// <summary>A new model read by <paramref name="load"/> from the bytes <paramref name="save"/> writes.</summary>
    public static T Copy<T>(Action<BinaryWriter> save, Func<BinaryReader, T> load)
    {
        using var reader = new BinaryReader(new MemoryStream(Capture(save), writable: false));
        return load(reader);
    }
}
