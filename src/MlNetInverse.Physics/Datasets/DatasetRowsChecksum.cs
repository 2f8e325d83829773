using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MlNetInverse.Physics.Datasets;

/// <summary>
/// SHA-256 over a dataset's rows in file order (id, family, GRF parameters, seed, absorption, packed map, per-wavelength
/// absorptions), stored under <see cref="MicrostructureDatasetFile.RowsChecksumKey"/> when a file is written and
/// recomputed when it is read whole, so a flipped byte that Parquet decodes silently is still caught. It depends on
/// the rows only, so a merge of shards carries the same checksum as the single run it equals.
/// </summary>
internal sealed class DatasetRowsChecksum : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public void Add(IEnumerable<MicrostructureRecord> records)
    {
        foreach (var r in records) Add(r);
    }

    public void Add(MicrostructureRecord r)
    {
        Span<byte> scalars = stackalloc byte[6 * sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(scalars, r.Id);
        BinaryPrimitives.WriteDoubleLittleEndian(scalars[8..], r.Parameters.MeanWavenumber);
        BinaryPrimitives.WriteDoubleLittleEndian(scalars[16..], r.Parameters.StdWavenumber);
        BinaryPrimitives.WriteDoubleLittleEndian(scalars[24..], r.Parameters.VolumeFraction);
        BinaryPrimitives.WriteInt64LittleEndian(scalars[32..], r.Seed);
        BinaryPrimitives.WriteDoubleLittleEndian(scalars[40..], r.Absorption);
        _hash.AppendData(scalars);
        AppendLength(Encoding.UTF8.GetByteCount(DatasetMetadataJson.FamilyName(r.Parameters.Family)));
        _hash.AppendData(Encoding.UTF8.GetBytes(DatasetMetadataJson.FamilyName(r.Parameters.Family)));
        var map = r.Map.ToPackedBits();
        AppendLength(map.Length);
        _hash.AppendData(map);
        AppendLength(r.WavelengthAbsorptions.Count);
        Span<byte> value = stackalloc byte[sizeof(double)];
        foreach (double a in r.WavelengthAbsorptions)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(value, a);
            _hash.AppendData(value);
        }
    }

    /// <summary>Lower-case hex SHA-256 of the rows added so far.</summary>
    public string Value => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public void Dispose() => _hash.Dispose();

    private void AppendLength(int length)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        _hash.AppendData(bytes);
    }
}
