using MlNetInverse.Physics.Storage;

namespace MlNetInverse.Physics.Datasets;

/// <summary>
/// Entry point for microstructure dataset files (Parquet). Schema: see <see cref="MicrostructureDatasetWriter"/>;
/// key/value metadata <see cref="StackKey"/> (optical stack JSON) and <see cref="GenerationKey"/> (generation JSON).
/// Reading errors are <see cref="FileNotFoundException"/> for a missing file and <see cref="InvalidDataException"/>
/// naming the problem otherwise (not Parquet, missing column, wrong column type, bad blob length, missing metadata).
/// </summary>
public static class MicrostructureDatasetFile
{
    /// <summary>Metadata key of the optical stack JSON (<see cref="Optics.OpticalStackFile.ToJson"/>).</summary>
    public const string StackKey = "mlnet_inverse.stack";

    /// <summary>Metadata key of the generation JSON (seed, count, size, row group size, ranges, format version).</summary>
    public const string GenerationKey = "mlnet_inverse.generation";

    /// <summary>
    /// Metadata key of a shard file's shard, <c>{"index": I, "count": N}</c> (1-based); absent in a whole dataset.
    /// The generation JSON of a shard is the whole run's (its count is the run's count, not the shard's rows).
    /// </summary>
    public const string ShardKey = "mlnet_inverse.shard";

    /// <summary>
    /// Metadata key of the lower-case hex SHA-256 of the file's rows in order (see <see cref="MicrostructureDatasetReader.VerifyAsync"/>);
    /// absent in files written before it existed, which are read unchecked.
    /// </summary>
    public const string RowsChecksumKey = "mlnet_inverse.rows_sha256";

    /// <summary>Opens a dataset file for streaming by row group.</summary>
    public static async Task<MicrostructureDatasetReader> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Dataset file '{path}' does not exist.", path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return await MicrostructureDatasetReader.OpenAsync(stream, leaveOpen: false, path, cancellationToken);
    }

    /// <summary>Opens a dataset held in a readable, seekable stream.</summary>
    public static Task<MicrostructureDatasetReader> OpenAsync(Stream stream, bool leaveOpen = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return MicrostructureDatasetReader.OpenAsync(stream, leaveOpen, "stream", cancellationToken);
    }

    /// <summary>Reads a whole dataset file into memory.</summary>
    public static async Task<MicrostructureDataset> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var reader = await OpenAsync(path, cancellationToken);
        return await ReadAllAsync(reader, cancellationToken);
    }

    /// <summary>Reads a whole dataset from a stream (left open).</summary>
    public static async Task<MicrostructureDataset> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        await using var reader = await OpenAsync(stream, leaveOpen: true, cancellationToken);
        return await ReadAllAsync(reader, cancellationToken);
    }

    /// <summary>Writes a dataset file atomically (temp file + rename), <see cref="DatasetGenerationInfo.RowGroupSize"/> rows per row group.</summary>
    public static Task WriteAsync(string path, MicrostructureDataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(dataset);
        return AtomicFile.WriteAsync(path, stream => WriteAsync(stream, dataset, cancellationToken), cancellationToken);
    }

    /// <summary>Writes a dataset to a writable, seekable stream (left open).</summary>
    public static async Task WriteAsync(Stream stream, MicrostructureDataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(dataset);
        int groupSize = Math.Max(1, dataset.Generation.RowGroupSize);
        await using var writer = await MicrostructureDatasetWriter.CreateAsync(stream, dataset.Stack, dataset.Generation, cancellationToken);
        for (int start = 0; start < dataset.Records.Count; start += groupSize)
        {
            var group = dataset.Records.Skip(start).Take(groupSize).ToArray();
            await writer.WriteRowGroupAsync(group, cancellationToken);
        }
    }

    private static async Task<MicrostructureDataset> ReadAllAsync(MicrostructureDatasetReader reader, CancellationToken cancellationToken)
    {
        var records = new List<MicrostructureRecord>(checked((int)reader.RowCount));
        using var checksum = new DatasetRowsChecksum();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            var group = await reader.ReadRowGroupAsync(g, cancellationToken);
            checksum.Add(group);
            records.AddRange(group);
        }
        reader.CheckRows(checksum);
        return new MicrostructureDataset(reader.Stack, reader.Generation, records);
    }
}
