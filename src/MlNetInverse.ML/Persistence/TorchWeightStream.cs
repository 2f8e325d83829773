using System.Security.Cryptography;

namespace MlNetInverse.ML.Persistence;

/// <summary>
/// The named binary stream that holds a component's TorchSharp weights inside the model zip.
/// Layout: int magic <see cref="Magic"/>, long byte count, the bytes written by the model's Save(BinaryWriter),
/// 32 bytes SHA-256 of those bytes. The checksum turns silent damage (a flipped byte that still inflates) into a
/// clear error instead of wrong weights or a TorchSharp parse failure.
/// </summary>
internal static class TorchWeightStream
{
    /// <summary>Entry name of the weights next to the component's Model.key in the zip.</summary>
    public const string Name = "TorchWeights.bin";

    /// <summary>"TWTS" little-endian: marks the start of the stream.</summary>
    public const int Magic = 0x53545754;

    private const int HashLength = 32;

    /// <summary>Writes <paramref name="weights"/> in the stream layout.</summary>
    public static void Write(BinaryWriter writer, byte[] weights)
    {
        writer.Write(Magic);
        writer.Write((long)weights.Length);
        writer.Write(weights);
        writer.Write(SHA256.HashData(weights));
    }

    /// <summary>Reads and verifies the stream; <paramref name="component"/> names the owner in errors.</summary>
    /// <exception cref="TorchModelFormatException">Wrong magic, truncated, or checksum mismatch.</exception>
    public static byte[] Read(BinaryReader reader, string component)
    {
        try
        {
            int magic = reader.ReadInt32();
            if (magic != Magic)
                throw new TorchModelFormatException($"{component}: weight stream '{Name}' does not start with the expected marker (found 0x{magic:X8}); the model zip is corrupted.");
            long length = reader.ReadInt64();
            if (length < 0 || length > int.MaxValue)
                throw new TorchModelFormatException($"{component}: weight stream '{Name}' declares {length} bytes; the model zip is corrupted.");
            var weights = reader.ReadBytes((int)length);
            var hash = reader.ReadBytes(HashLength);
            if (weights.Length != length || hash.Length != HashLength)
                throw new TorchModelFormatException($"{component}: weight stream '{Name}' is truncated ({weights.Length} of {length} weight bytes); the model zip is corrupted.");
            if (!SHA256.HashData(weights).AsSpan().SequenceEqual(hash))
                throw new TorchModelFormatException($"{component}: weight stream '{Name}' fails its SHA-256 check; the model zip is corrupted.");
            return weights;
        }
        catch (EndOfStreamException e)
        {
            throw new TorchModelFormatException($"{component}: weight stream '{Name}' is truncated; the model zip is corrupted.", e);
        }
    }
}
