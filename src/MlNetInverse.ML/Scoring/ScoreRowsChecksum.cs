using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace MlNetInverse.ML.Scoring;

/// <summary>
/// SHA-256 over a score file's column values, row group by row group in schema order, stored under
/// <see cref="ScoreFile.ChecksumKey"/>: a part, a shard or a merged file whose bytes changed where Parquet decodes them
/// silently is caught on resume and merge. It depends on the values only, so a merge of shards carries the checksum
/// of the single run it equals.
/// </summary>
internal sealed class ScoreRowsChecksum : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public void Add<T>(T[] values) where T : unmanaged => _hash.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));

    public void Add(byte[][] values)
    {
        Span<int> length = stackalloc int[1];
        foreach (var value in values)
        {
            length[0] = value.Length;
            _hash.AppendData(MemoryMarshal.AsBytes(length));
            _hash.AppendData(value);
        }
    }

    /// <summary>Lower-case hex SHA-256 of the values added so far.</summary>
    public string Value => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public void Dispose() => _hash.Dispose();
}
