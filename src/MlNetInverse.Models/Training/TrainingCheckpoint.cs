using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.Models.Training;

/// <summary>
/// Everything needed to continue a training run exactly where it stopped, written after an epoch (every epoch, or as
/// often as the trainer's interval allows).
/// <code>
/// *** Binary format ***
/// string  magic            "MlNetInverse.Checkpoint"
/// int32   version          1
/// string  kind             trainer name ("VqVaeTrainer", "SurrogateTrainer", "MdnTrainer")
/// string  fingerprint      JSON of what must match to resume (model options, trajectory-shaping training options, data hash)
/// int32   completedEpochs  epochs finished; the next run starts at this epoch
/// string  history          JSON array of the per-epoch metrics so far
/// string  extra            trainer-specific JSON (e.g. the held-out split), may be empty
/// int32 + bytes  model     the model in its own saved format (weights, buffers, codebook counters)
/// int32 + bytes  optimizer TorchSharp optimizer state (Adam moments and step counts)
/// </code>
/// No random generator state is stored: every random draw is keyed by (seed, epoch, step) or by counters that live in
/// the model's buffers, so the epoch number is the whole shuffle/RNG state.
/// </summary>
internal sealed record TrainingCheckpoint(
    string Kind, string Fingerprint, int CompletedEpochs, string History, string Extra, byte[] Model, byte[] Optimizer)
{
    public const string Magic = "MlNetInverse.Checkpoint";
    public const int Version = 1;

    /// <summary>How fingerprints and histories are written: NaN and infinities as names, enums as names.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Writes the checkpoint atomically (temp file + rename).</summary>
    public void Write(string path) => AtomicFile.Write(path, stream =>
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(Kind);
        writer.Write(Fingerprint);
        writer.Write(CompletedEpochs);
        writer.Write(History);
        writer.Write(Extra);
        writer.Write(Model.Length);
        writer.Write(Model);
        writer.Write(Optimizer.Length);
        writer.Write(Optimizer);
        writer.Flush();
    });

    /// <summary>Reads the checkpoint at <paramref name="path"/>, or returns null when there is none.</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of <paramref name="kind"/> or is damaged.</exception>
    public static TrainingCheckpoint? ReadIfExists(string path, string kind)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path), System.Text.Encoding.UTF8);
            if (reader.ReadString() != Magic) throw new InvalidDataException($"Checkpoint '{path}' is not an MlNetInverse checkpoint.");
            int version = reader.ReadInt32();
            if (version != Version) throw new InvalidDataException($"Checkpoint '{path}' has format version {version}; this build reads version {Version}.");
            string foundKind = reader.ReadString();
            if (foundKind != kind) throw new InvalidDataException($"Checkpoint '{path}' was written by {foundKind}, not {kind}.");
            string fingerprint = reader.ReadString();
            int epochs = reader.ReadInt32();
            string history = reader.ReadString();
            string extra = reader.ReadString();
            byte[] model = ReadBlob(reader);
            byte[] optimizer = ReadBlob(reader);
            return new TrainingCheckpoint(kind, fingerprint, epochs, history, extra, model, optimizer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"Checkpoint '{path}' is truncated; delete it to start over.", e);
        }
    }

    /// <summary>The bytes <paramref name="write"/> produces.</summary>
    public static byte[] Capture(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
            writer.Flush();
        }
        return stream.ToArray();
    }

    private static byte[] ReadBlob(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        if (length < 0) throw new InvalidDataException("Checkpoint blob has a negative length.");
        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length) throw new EndOfStreamException();
        return bytes;
    }
}
