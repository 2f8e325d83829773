using MlNetInverse.ML.Internals;
using MlNetInverse.Physics.Storage;
using Parquet;
using Parquet.Schema;

namespace MlNetInverse.ML.Scoring;

/// <summary>
/// The scoring output, one row per generated image: row int64 (the target's row in the input file), sample int32
/// (0 .. N-1), target float, in_training_range boolean, predicted_absorption float (when predicted) and image
/// (binary, packed bits, or list&lt;float&gt;; see <see cref="ScoreImageEncoding"/>). The key/value metadata
/// "mlnet_inverse.score" holds the run's settings as JSON, "mlnet_inverse.rows_sha256" the SHA-256 of the values
/// (<see cref="ScoreRowsChecksum"/>). Each block of targets is one row group.
/// </summary>
internal static class ScoreFile
{
    public const string MetadataKey = "mlnet_inverse.score";

    /// <summary>Metadata key of the values' SHA-256; absent in files written before it existed (read unchecked).</summary>
    public const string ChecksumKey = "mlnet_inverse.rows_sha256";

    public static readonly DataField<long> Row = new("row", false);
    public static readonly DataField<int> Sample = new("sample", false);
    public static readonly DataField<float> Target = new("target", false);
    public static readonly DataField<bool> InTrainingRange = new("in_training_range", false);
    public static readonly DataField<float> PredictedAbsorption = new("predicted_absorption", false);
    public static readonly DataField<byte[]> PackedImage = new("image", false);
    public static readonly DataField<float> FloatImageElement = new("element", false);
    public static readonly ListField FloatImage = new("image", FloatImageElement);

    public static ParquetSchema Schema(ScoreImageEncoding encoding, bool withAbsorption)
    {
        var fields = new List<Field> { Row, Sample, Target, InTrainingRange };
        if (withAbsorption) fields.Add(PredictedAbsorption);
        fields.Add(encoding == ScoreImageEncoding.Packed ? PackedImage : FloatImage);
        return new ParquetSchema(fields);
    }

    /// <summary>Writes <paramref name="block"/> as a one-row-group file at <paramref name="path"/> (temp file, then rename).</summary>
    public static void WritePart(string path, ScoredBlock block, ScoreImageEncoding encoding, string metadataJson) =>
        AtomicFile.Write(path, stream => SyncOverAsync.Run(async () =>
        {
            await using var writer = await ParquetWriter.CreateAsync(Schema(encoding, block.Absorption is not null), stream,
                new ParquetOptions { CompressionMethod = CompressionMethod.Snappy });
            using var checksum = new ScoreRowsChecksum();
            using var group = writer.CreateRowGroup();
            int n = block.ImageCount, samples = block.Samples;
            var rows = new long[n];
            var sampleIndex = new int[n];
            var targets = new float[n];
            var inRange = new bool[n];
            for (int i = 0; i < n; i++)
            {
                int t = i / samples;
                rows[i] = block.FirstRow + t;
                sampleIndex[i] = i % samples;
                targets[i] = block.Targets[t];
                inRange[i] = block.InTrainingRange[t];
            }
            await group.WriteAsync<long>(Row, rows);
            await group.WriteAsync<int>(Sample, sampleIndex);
            await group.WriteAsync<float>(Target, targets);
            await group.WriteAsync<bool>(InTrainingRange, inRange);
            checksum.Add(rows);
            checksum.Add(sampleIndex);
            checksum.Add(targets);
            checksum.Add(inRange);
            if (block.Absorption is { } absorption)
            {
                await group.WriteAsync<float>(PredictedAbsorption, absorption);
                checksum.Add(absorption);
            }
            if (encoding == ScoreImageEncoding.Packed)
            {
                await group.WriteAsync(PackedImage, block.PackedImages!);
                checksum.Add(block.PackedImages!);
            }
            else await WriteFloatImagesAsync(group, block.FloatImages!, block.ImageSize * block.ImageSize, checksum);
            // The footer is written when the writer is disposed, so the metadata can carry the values' checksum.
            writer.CustomMetadata = new Dictionary<string, string> { [MetadataKey] = metadataJson, [ChecksumKey] = checksum.Value };
        }));

    /// <summary>
    /// Joins one-row-group part files (or shard files), in order, into <paramref name="path"/> (temp file, then
    /// rename), one row group per input row group; only one row group's columns are in memory at a time. Each input's
    /// values are checked against its recorded checksum while copied, so a damaged one is named and nothing is written.
    /// </summary>
    /// <exception cref="InvalidDataException">An input is damaged; the message names it.</exception>
    public static void Merge(IReadOnlyList<string> parts, string path, ScoreImageEncoding encoding, bool withAbsorption, string metadataJson, CancellationToken cancellationToken) =>
        AtomicFile.Write(path, stream => SyncOverAsync.Run(async () =>
        {
            var schema = Schema(encoding, withAbsorption);
            await using var writer = await ParquetWriter.CreateAsync(schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy });
            using var merged = new ScoreRowsChecksum();
            foreach (var part in parts)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await ReadCheckedAsync(part, schema.DataFields, writer, merged);
            }
            // The footer is written when the writer is disposed, so the metadata can carry the values' checksum.
            writer.CustomMetadata = new Dictionary<string, string> { [MetadataKey] = metadataJson, [ChecksumKey] = merged.Value };
        }));

    /// <summary>
    /// Rows of the file at <paramref name="path"/> after checking its values against the recorded checksum; -1 when it
    /// is missing, unreadable or damaged (a resumed run then computes it again).
    /// </summary>
    public static long VerifiedRowCount(string path)
    {
        if (!File.Exists(path)) return -1;
        try
        {
            return SyncOverAsync.Run(() => ReadCheckedAsync(path, fields: null, writer: null, merged: null));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return -1;
        }
    }

    /// <summary>Rows of the file at <paramref name="path"/>, or -1 when it is missing or not a readable Parquet file.</summary>
    public static long RowCount(string path)
    {
        if (!File.Exists(path)) return -1;
        try
        {
            return SyncOverAsync.Run(async () =>
            {
                await using var stream = File.OpenRead(path);
                await using var reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true);
                return reader.RowGroups.Sum(g => g.RowCount);
            });
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or IndexOutOfRangeException)
        {
            return -1;
        }
    }

    /// <summary>
    /// Reads every row group of <paramref name="path"/> column by column (in the order of <paramref name="fields"/>, or
    /// the file's), hashing the values; with a <paramref name="writer"/>, writes each row group to it and adds the values
    /// to <paramref name="merged"/>. Compares the hash with the one recorded in the file and returns the row count.
    /// </summary>
    /// <exception cref="InvalidDataException">The file cannot be decoded or its values do not match; the message names it.</exception>
    private static async Task<long> ReadCheckedAsync(string path, IReadOnlyList<DataField>? fields, ParquetWriter? writer, ScoreRowsChecksum? merged)
    {
        await using var input = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(input, null, leaveStreamOpen: true);
        using var own = new ScoreRowsChecksum();
        try
        {
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var source = reader.OpenRowGroupReader(g);
                var writes = new List<Func<ParquetRowGroupWriter, Task>>();
                foreach (var field in fields ?? reader.Schema.DataFields)
                {
                    var column = reader.Schema.DataFields.First(f => f.Path.Equals(field.Path));
                    writes.Add(await ReadColumnAsync(source, column, Canonical(field), own, merged));
                }
                if (writer is null) continue;
                using var target = writer.CreateRowGroup();
                foreach (var write in writes) await write(target);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not InvalidDataException)
        {
            throw new InvalidDataException($"'{path}' is damaged: it cannot be read ({e.Message.TrimEnd('.')}).", e);
        }
        if (reader.CustomMetadata.TryGetValue(ChecksumKey, out var expected) && own.Value != expected)
            throw new InvalidDataException($"'{path}' is damaged: its values do not match the SHA-256 recorded when it was written; score it again or restore it.");
        return reader.RowGroups.Sum(group => group.RowCount);
    }

    /// <summary>This schema's field with the path of <paramref name="field"/> (a file's own fields are other instances); the float image element otherwise.</summary>
    private static DataField Canonical(DataField field) =>
        new DataField[] { Row, Sample, Target, InTrainingRange, PredictedAbsorption, PackedImage }.FirstOrDefault(f => f.Path.Equals(field.Path)) ?? field;

    private static async Task WriteFloatImagesAsync(ParquetRowGroupWriter group, float[] images, int pixels, ScoreRowsChecksum checksum)
    {
        var definition = new int[images.Length];
        Array.Fill(definition, FloatImageElement.MaxDefinitionLevel);
        var repetition = new int[images.Length];
        for (int i = 0; i < repetition.Length; i++) repetition[i] = i % pixels == 0 ? 0 : 1;
        await group.WriteAllPartsAsync<float>(FloatImageElement, images, definition, repetition, default);
        checksum.Add(images);
        checksum.Add(repetition);
    }

    /// <summary>
    /// Reads one column of a row group into memory, adds it to the checksums, and returns how to write it as
    /// <paramref name="to"/>.
    /// </summary>
    private static async Task<Func<ParquetRowGroupWriter, Task>> ReadColumnAsync(ParquetRowGroupReader source, DataField from, DataField to,
        ScoreRowsChecksum own, ScoreRowsChecksum? merged)
    {
        int n = checked((int)source.RowCount);
        if (to == Row) return await ReadAsync<long>();
        if (to == Sample) return await ReadAsync<int>();
        if (to == Target || to == PredictedAbsorption) return await ReadAsync<float>();
        if (to == InTrainingRange) return await ReadAsync<bool>();
        if (to == PackedImage)
        {
            var images = new byte[n][];
            await source.ReadAsync(from, images, null);
            own.Add(images);
            merged?.Add(images);
            return target => target.WriteAsync(PackedImage, images);
        }
        int levels = checked((int)(source.GetMetadata(from)?.MetaData?.NumValues ?? 0));
        var values = new float[levels];
        var definition = new int[levels];
        var repetition = new int[levels];
        await source.ReadRawAsync<float>(from, values, definition, repetition);
        foreach (var checksum in new[] { own, merged })
        {
            checksum?.Add(values);
            checksum?.Add(repetition);
        }
        return target => target.WriteAllPartsAsync<float>(FloatImageElement, values, definition, repetition, default);

        async Task<Func<ParquetRowGroupWriter, Task>> ReadAsync<T>() where T : unmanaged
        {
            var values = new T[n];
            await source.ReadAsync<T>(from, values);
            own.Add(values);
            merged?.Add(values);
            return target => target.WriteAsync<T>((DataField<T>)to, values);
        }
    }
}
