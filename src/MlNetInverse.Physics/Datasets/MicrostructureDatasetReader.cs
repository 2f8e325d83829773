using System.Runtime.CompilerServices;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;
using Parquet;
using Parquet.Schema;

namespace MlNetInverse.Physics.Datasets;

/// <summary>
/// Streams a microstructure dataset one row group at a time, so files larger than memory can be read. Open it with
/// <see cref="MicrostructureDatasetFile.OpenAsync(string, CancellationToken)"/>; the schema and metadata are checked on open.
/// </summary>
public sealed class MicrostructureDatasetReader : IAsyncDisposable
{
    private readonly ParquetReader _reader;
    private readonly MicrostructureDatasetSchema.DatasetColumns _columns;

    private MicrostructureDatasetReader(ParquetReader reader, MicrostructureDatasetSchema.DatasetColumns columns, string source, OpticalStack stack, string stackJson, DatasetGenerationInfo generation, DatasetShard? shard)
    {
        Shard = shard;
        RowsChecksum = reader.CustomMetadata.TryGetValue(MicrostructureDatasetFile.RowsChecksumKey, out var checksum) ? checksum : null;
        _reader = reader;
        StackJson = stackJson;
        _columns = columns;
        Source = source;
        Stack = stack;
        Generation = generation;
        RowCount = reader.RowGroups.Sum(g => g.RowCount);
    }

    /// <summary>The file path (or "stream") named in error messages.</summary>
    public string Source { get; }

    /// <summary>The stack the labels were computed with.</summary>
    public OpticalStack Stack { get; }

    /// <summary>How the rows were generated.</summary>
    public DatasetGenerationInfo Generation { get; }

    /// <summary>The shard this file holds (see <see cref="MicrostructureDatasetFile.ShardKey"/>), or null for a whole dataset.</summary>
    public DatasetShard? Shard { get; }

    /// <summary>The stack JSON exactly as stored, for comparing runs without a parse round trip.</summary>
    internal string StackJson { get; }

    /// <summary>The SHA-256 of the rows recorded when the file was written, or null for a file written before checksums existed.</summary>
    public string? RowsChecksum { get; }

    /// <summary>Number of row groups.</summary>
    public int RowGroupCount => _reader.RowGroupCount;

    /// <summary>Number of rows in the file.</summary>
    public long RowCount { get; }

    /// <summary>Rows in row group <paramref name="index"/>, without reading them.</summary>
    public long RowGroupRowCount(int index) => _reader.RowGroups[index].RowCount;

    internal static async Task<MicrostructureDatasetReader> OpenAsync(Stream stream, bool leaveOpen, string source, CancellationToken cancellationToken)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(stream, null, leaveOpen, cancellationToken);
        }
        catch (Exception e)
        {
            if (!leaveOpen) await stream.DisposeAsync();
            if (e is OperationCanceledException) throw;
            // Parquet.Net reports a bad magic number or footer as IOException, other damage with its own exceptions.
            throw new InvalidDataException($"'{source}' is not a Parquet file or is damaged ({e.Message}).", e);
        }
        try
        {
            var columns = MicrostructureDatasetSchema.Resolve(reader.Schema, source);
            var stackJson = Metadata(reader, MicrostructureDatasetFile.StackKey, source);
            var generationJson = Metadata(reader, MicrostructureDatasetFile.GenerationKey, source);
            OpticalStack stack;
            DatasetGenerationInfo generation;
            try { stack = OpticalStackFile.Parse(stackJson); }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new InvalidDataException($"'{source}': metadata '{MicrostructureDatasetFile.StackKey}' is not a valid stack: {e.Message}", e);
            }
            try { generation = DatasetMetadataJson.Parse(generationJson); }
            catch (FormatException e)
            {
                throw new InvalidDataException($"'{source}': metadata '{MicrostructureDatasetFile.GenerationKey}' is invalid: {e.Message}", e);
            }
            DatasetShard? shard = null;
            if (reader.CustomMetadata.TryGetValue(MicrostructureDatasetFile.ShardKey, out var shardJson))
            {
                try { shard = DatasetMetadataJson.ParseShard(shardJson); }
                catch (FormatException e)
                {
                    throw new InvalidDataException($"'{source}': metadata '{MicrostructureDatasetFile.ShardKey}' is invalid: {e.Message}", e);
                }
            }
            return new MicrostructureDatasetReader(reader, columns, source, stack, stackJson, generation, shard);
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Reads every row and compares them with <see cref="RowsChecksum"/> (nothing to compare in older files).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is damaged; the message names it.</exception>
    public async Task VerifyAsync(CancellationToken cancellationToken = default)
    {
        if (RowsChecksum is null) return;
        using var checksum = new DatasetRowsChecksum();
        for (int g = 0; g < RowGroupCount; g++) checksum.Add(await ReadRowGroupAsync(g, cancellationToken));
        CheckRows(checksum);
    }

    /// <summary>Throws when the rows read (all of them, in order) do not match the recorded checksum.</summary>
    internal void CheckRows(DatasetRowsChecksum checksum)
    {
        if (RowsChecksum is not { } expected) return;
        string actual = checksum.Value;
        if (actual != expected)
            throw new InvalidDataException(
                $"'{Source}' is damaged: its rows do not match the SHA-256 recorded when it was written ({actual[..12]}..., recorded {expected[..Math.Min(12, expected.Length)]}...); regenerate or restore it.");
    }

    /// <summary>Reads row group <paramref name="index"/>; errors name the file, the row id and the problem.</summary>
    /// <exception cref="InvalidDataException">Bad values, or a row group that cannot be decoded (damaged file); the message names the file.</exception>
    public async Task<IReadOnlyList<MicrostructureRecord>> ReadRowGroupAsync(int index, CancellationToken cancellationToken = default)
    {
        if (index < 0 || index >= RowGroupCount)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"'{Source}' has {RowGroupCount} row groups.");
        try
        {
            return await ReadRowGroupCoreAsync(index, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && !e.Message.StartsWith($"'{Source}'", StringComparison.Ordinal))
        {
            // Decoders report damage in their own words ("Invalid copy offset", "Incomplete Snappy block"); say which file it is.
            throw new InvalidDataException($"'{Source}' is damaged: row group {index} cannot be read ({e.Message.TrimEnd('.')}).", e);
        }
    }

    private async Task<IReadOnlyList<MicrostructureRecord>> ReadRowGroupCoreAsync(int index, CancellationToken cancellationToken)
    {
        var group = _reader.OpenRowGroupReader(index);
        int n = checked((int)group.RowCount);
        var c = _columns;
        var ids = await ReadAsync<long>(group, c.Id, n, cancellationToken);
        var families = new string[n];
        await group.ReadAsync(c.Family, families, null, cancellationToken);
        var means = await ReadAsync<double>(group, c.MeanWavenumber, n, cancellationToken);
        var stds = await ReadAsync<double>(group, c.StdWavenumber, n, cancellationToken);
        var fractions = await ReadAsync<double>(group, c.VolumeFraction, n, cancellationToken);
        var seeds = await ReadAsync<long>(group, c.Seed, n, cancellationToken);
        var absorptions = await ReadAsync<double>(group, c.Absorption, n, cancellationToken);
        var maps = new byte[n][];
        await group.ReadAsync(c.Microstructure, maps, null, cancellationToken);
        var perWavelength = await ReadListAsync(group, c.WavelengthAbsorption, ids, cancellationToken);

        int size = Generation.Size;
        int mapBytes = (size * size + 7) / 8;
        int wavelengths = Stack.WavelengthsNm.Count;
        var records = new MicrostructureRecord[n];
        for (int i = 0; i < n; i++)
        {
            if (maps[i].Length != mapBytes)
                throw new InvalidDataException($"'{Source}': row id {ids[i]} has a {maps[i].Length}-byte microstructure; a {size}x{size} map needs {mapBytes} bytes.");
            if (perWavelength[i].Length != wavelengths)
                throw new InvalidDataException($"'{Source}': row id {ids[i]} has {perWavelength[i].Length} wavelength absorptions; the stack has {wavelengths} wavelengths.");
            SpectralDensityFamily family;
            try { family = DatasetMetadataJson.ParseFamily(families[i]); }
            catch (FormatException e) { throw new InvalidDataException($"'{Source}': row id {ids[i]}: {e.Message}", e); }
            records[i] = new MicrostructureRecord(
                ids[i], new GrfParameters(family, means[i], stds[i], fractions[i]), seeds[i], absorptions[i],
                Microstructure.FromPackedBits(maps[i], size), perWavelength[i]);
        }
        return records;
    }

    /// <summary>Only the ids of row group <paramref name="index"/> (a merge checks coverage before copying anything).</summary>
    internal async Task<long[]> ReadIdsAsync(int index, CancellationToken cancellationToken = default)
    {
        if (index < 0 || index >= RowGroupCount)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"'{Source}' has {RowGroupCount} row groups.");
        try
        {
            var group = _reader.OpenRowGroupReader(index);
            return await ReadAsync<long>(group, _columns.Id, checked((int)group.RowCount), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && !e.Message.StartsWith($"'{Source}'", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{Source}' is damaged: the ids of row group {index} cannot be read ({e.Message.TrimEnd('.')}).", e);
        }
    }

    /// <summary>Every row in file order, one row group in memory at a time.</summary>
    public async IAsyncEnumerable<MicrostructureRecord> ReadRecordsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int g = 0; g < RowGroupCount; g++)
            foreach (var record in await ReadRowGroupAsync(g, cancellationToken))
                yield return record;
    }

    /// <summary>Closes the file.</summary>
    public ValueTask DisposeAsync() => _reader.DisposeAsync();

    private static string Metadata(ParquetReader reader, string key, string source) =>
        reader.CustomMetadata.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value)
            ? value
            : throw new InvalidDataException($"'{source}' has no '{key}' metadata; it was not written as a microstructure dataset (mlnet-inverse data generate).");

    private static async Task<T[]> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int n, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T[n];
        await group.ReadAsync<T>(field, values, null, cancellationToken);
        return values;
    }

    /// <summary>Splits the flat list column into rows: a repetition level of 0 starts a row.</summary>
    private async Task<double[][]> ReadListAsync(ParquetRowGroupReader group, DataField field, long[] ids, CancellationToken cancellationToken)
    {
        int levels = checked((int)(group.GetMetadata(field)?.MetaData?.NumValues ?? 0));
        var values = new double[levels];
        var definition = new int[levels];
        var repetition = new int[levels];
        await group.ReadRawAsync<double>(field, values, definition, repetition, cancellationToken);
        var rows = new List<double[]>(ids.Length);
        var current = new List<double>();
        int valueIndex = 0;
        for (int k = 0; k < levels; k++)
        {
            if (repetition[k] == 0 && k > 0) { rows.Add(current.ToArray()); current.Clear(); }
            // Values hold only present elements; a lower definition level is an empty list or a null.
            if (definition[k] == field.MaxDefinitionLevel) current.Add(values[valueIndex++]);
            else
            {
                long id = rows.Count < ids.Length ? ids[rows.Count] : -1;
                throw new InvalidDataException($"'{Source}': row id {id} has an empty or null '{MicrostructureDatasetSchema.WavelengthAbsorptionColumn}'.");
            }
        }
        if (levels > 0) rows.Add(current.ToArray());
        if (rows.Count != ids.Length)
            throw new InvalidDataException($"'{Source}': column '{MicrostructureDatasetSchema.WavelengthAbsorptionColumn}' has {rows.Count} rows in a row group of {ids.Length}.");
        return rows.ToArray();
    }
}
