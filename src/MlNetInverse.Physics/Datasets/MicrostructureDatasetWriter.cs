using MlNetInverse.Physics.Optics;
using Parquet;
using S = MlNetInverse.Physics.Datasets.MicrostructureDatasetSchema;

namespace MlNetInverse.Physics.Datasets;

/// <summary>
/// Writes a microstructure dataset to a Parquet stream (Snappy), one row group per
/// <see cref="WriteRowGroupAsync"/> call, with the stack and generation JSON in the file's key/value metadata.
/// Writes to the stream it is given: for a file, <see cref="MicrostructureDatasetFile.WriteAsync(string, MicrostructureDataset, CancellationToken)"/>
/// does the temp-file-and-rename.
/// </summary>
public sealed class MicrostructureDatasetWriter : IAsyncDisposable
{
    private readonly ParquetWriter _writer;
    private readonly Dictionary<string, string> _metadata;
    private readonly DatasetRowsChecksum _checksum = new();

    private MicrostructureDatasetWriter(ParquetWriter writer, Dictionary<string, string> metadata, OpticalStack stack, DatasetGenerationInfo generation)
    {
        _writer = writer;
        _metadata = metadata;
        Stack = stack;
        Generation = generation;
    }

    /// <summary>The stack stored with the rows.</summary>
    public OpticalStack Stack { get; }

    /// <summary>The generation settings stored with the rows.</summary>
    public DatasetGenerationInfo Generation { get; }

    /// <summary>Starts a dataset on a writable, seekable stream (left open).</summary>
    public static Task<MicrostructureDatasetWriter> CreateAsync(Stream output, OpticalStack stack, DatasetGenerationInfo generation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return CreateAsync(output, stack, OpticalStackFile.ToJson(stack), generation, shard: null, cancellationToken);
    }

    /// <summary>
    /// Starts a dataset whose stack metadata is <paramref name="stackJson"/> verbatim (a merge keeps the shards' bytes
    /// rather than trusting a parse/print round trip) and, for a shard file, the shard metadata.
    /// </summary>
    internal static async Task<MicrostructureDatasetWriter> CreateAsync(Stream output, OpticalStack stack, string stackJson, DatasetGenerationInfo generation,
        DatasetShard? shard, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(stackJson);
        ArgumentNullException.ThrowIfNull(generation);
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };
        var writer = await ParquetWriter.CreateAsync(S.Schema, output, options, append: false, cancellationToken);
        var metadata = new Dictionary<string, string>
        {
            [MicrostructureDatasetFile.StackKey] = stackJson,
            [MicrostructureDatasetFile.GenerationKey] = DatasetMetadataJson.ToJson(generation),
        };
        if (shard is not null) metadata[MicrostructureDatasetFile.ShardKey] = DatasetMetadataJson.ShardToJson(shard);
        writer.CustomMetadata = metadata;
        return new MicrostructureDatasetWriter(writer, metadata, stack, generation);
    }

    /// <summary>Writes <paramref name="records"/> as one row group, in the given order.</summary>
    /// <exception cref="ArgumentException">No rows, a map of the wrong size or not binary, or a wavelength count unlike the stack's.</exception>
    public async Task WriteRowGroupAsync(IReadOnlyList<MicrostructureRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0) throw new ArgumentException("A row group needs at least one record.", nameof(records));
        int wavelengths = Stack.WavelengthsNm.Count;
        foreach (var r in records) Check(r, wavelengths);

        int n = records.Count;
        var ids = new long[n];
        var families = new string[n];
        var means = new double[n];
        var stds = new double[n];
        var fractions = new double[n];
        var seeds = new long[n];
        var absorptions = new double[n];
        var maps = new byte[n][];
        var perWavelength = new double[n * wavelengths];
        for (int i = 0; i < n; i++)
        {
            var r = records[i];
            ids[i] = r.Id;
            families[i] = DatasetMetadataJson.FamilyName(r.Parameters.Family);
            means[i] = r.Parameters.MeanWavenumber;
            stds[i] = r.Parameters.StdWavenumber;
            fractions[i] = r.Parameters.VolumeFraction;
            seeds[i] = r.Seed;
            absorptions[i] = r.Absorption;
            maps[i] = r.Map.ToPackedBits();
            for (int w = 0; w < wavelengths; w++) perWavelength[i * wavelengths + w] = r.WavelengthAbsorptions[w];
        }

        // Every list element is present (definition level = max); a repetition level of 0 starts a new row.
        var definitionLevels = new int[perWavelength.Length];
        Array.Fill(definitionLevels, S.WavelengthAbsorptionElement.MaxDefinitionLevel);
        var repetitionLevels = new int[perWavelength.Length];
        for (int k = 0; k < repetitionLevels.Length; k++) repetitionLevels[k] = k % wavelengths == 0 ? 0 : 1;

        using var group = _writer.CreateRowGroup();
        await group.WriteAsync<long>(S.Id, ids, cancellationToken: cancellationToken);
        await group.WriteAsync(S.Family, families);
        await group.WriteAsync<double>(S.MeanWavenumber, means, cancellationToken: cancellationToken);
        await group.WriteAsync<double>(S.StdWavenumber, stds, cancellationToken: cancellationToken);
        await group.WriteAsync<double>(S.VolumeFraction, fractions, cancellationToken: cancellationToken);
        await group.WriteAsync<long>(S.Seed, seeds, cancellationToken: cancellationToken);
        await group.WriteAsync<double>(S.Absorption, absorptions, cancellationToken: cancellationToken);
        await group.WriteAsync(S.Microstructure, maps);
        await group.WriteAllPartsAsync<double>(S.WavelengthAbsorptionElement, perWavelength, definitionLevels, repetitionLevels, cancellationToken);
        group.CompleteValidate();
        _checksum.Add(records);
    }

    /// <summary>Finishes the file: the footer, with the SHA-256 of every row written (<see cref="MicrostructureDatasetFile.RowsChecksumKey"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        // The footer is written on dispose, so the metadata can still take the checksum of all rows.
        _metadata[MicrostructureDatasetFile.RowsChecksumKey] = _checksum.Value;
        _writer.CustomMetadata = _metadata;
        _checksum.Dispose();
        await _writer.DisposeAsync();
    }

    private void Check(MicrostructureRecord r, int wavelengths)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.Map.Size != Generation.Size)
            throw new ArgumentException($"Record {r.Id}: the map is {r.Map.Size}x{r.Map.Size}; this dataset holds {Generation.Size}x{Generation.Size} maps.");
        if (!r.Map.IsBinary)
            throw new ArgumentException($"Record {r.Id}: the map is not binary; datasets store binary maps (binarize it first).");
        if (r.WavelengthAbsorptions.Count != wavelengths)
            throw new ArgumentException($"Record {r.Id} has {r.WavelengthAbsorptions.Count} wavelength absorptions; the stack has {wavelengths} wavelengths.");
    }
}
