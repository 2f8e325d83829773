using MlNetInverse.Models.Persistence;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.Baselines.Shared;

/// <summary>
/// Reading and writing the saved baselines. Each file starts with the models' <see cref="ModelStream"/> header (marker,
/// kind, version, options as JSON) and continues with the method's parts, each written by its own saver.
/// </summary>
internal static class BaselineFile
{
    /// <summary>Writes <paramref name="path"/> atomically by calling <paramref name="write"/> on a binary writer.</summary>
    public static void Write(string path, Action<BinaryWriter> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            write(writer);
            writer.Flush();
        });
    }

    /// <summary>Opens <paramref name="path"/> and runs <paramref name="read"/> on a binary reader over it.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static T Read<T>(string path, Func<BinaryReader, T> read)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Saved method '{path}' does not exist.", path);
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        return read(reader);
    }

    /// <summary>The kind written in the header of <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">Not a saved MlNetInverse model or method.</exception>
    public static string ReadKind(string path) => Read(path, reader =>
    {
        try
        {
            if (reader.ReadString() != ModelStream.Magic)
                throw new InvalidDataException($"'{path}' is not a saved MlNetInverse method (expected the marker '{ModelStream.Magic}').");
            return reader.ReadString();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"'{path}' is not a saved MlNetInverse method: its header is unreadable ({e.Message}).", e);
        }
    });
}
