using System.Security.Cryptography;

namespace MlNetInverse.Physics.Storage;

/// <summary>
/// SHA-256 fingerprints in lower-case hex, the one way every layer names a file's or a buffer's exact contents (model
/// checks in score metadata, ONNX manifests, evaluation and training resume keys).
/// </summary>
internal static class Fingerprint
{
    /// <summary>The 64 hex digits of the SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The 64 hex digits of the SHA-256 of the file at <paramref name="path"/>, read as a stream.</summary>
    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
