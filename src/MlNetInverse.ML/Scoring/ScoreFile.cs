using MlNetInverse.ML.Internals;
using Parquet;
using Parquet.Schema;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.ML.Scoring;

/// <summary>
/// The scoring output, one row per generated image: row int64 (the target's row in the input file), sample int32
/// (0 .. N-1), target float, in_training_range boolean, predicted_absorption float (when predicted) and image
/// (binary, packed bits, or list&lt;float&gt;; see <see cref="ScoreImageEncoding"/>). The key/value metadata
/// "mlnet_inverse.score" holds the run's settings as JSON. Each block of targets is one row group.
/// </summary>
internal static class ScoreFile
{
    public const string MetadataKey = "mlnet_inverse.score";

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
            writer.CustomMetadata = new Dictionary<string, string> { [MetadataKey] = metadataJson };
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
            if (block.Absorption is { } absorption) await group.WriteAsync<float>(PredictedAbsorption, absorption);
            if (encoding == ScoreImageEncoding.Packed) await group.WriteAsync(PackedImage, block.PackedImages!);
            else await WriteFloatImagesAsync(group, block.FloatImages!, block.ImageSize * block.ImageSize);
        }));

    /// <summary>
    /// Joins one-row-group part files, in order, into <paramref name="path"/> (temp file, then rename), one row group
    /// per part; only one part's columns are in memory at a time.
    /// </summary>
    public static void Merge(IReadOnlyList<string> parts, string path, ScoreImageEncoding encoding, bool withAbsorption, string metadataJson, CancellationToken cancellationToken) =>
        AtomicFile.Write(path, stream => SyncOverAsync.Run(async () =>
        {
            var schema = Schema(encoding, withAbsorption);
            await using var writer = await ParquetWriter.CreateAsync(schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy });
            writer.CustomMetadata = new Dictionary<string, string> { [MetadataKey] = metadataJson };
            foreach (var part in parts)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await using var input = File.OpenRead(part);
                await using var reader = await ParquetReader.CreateAsync(input, null, leaveStreamOpen: true);
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    using var source = reader.OpenRowGroupReader(g);
                    using var target = writer.CreateRowGroup();
                    foreach (var field in schema.DataFields)
                    {
                        var column = reader.Schema.DataFields.First(f => f.Path.Equals(field.Path));
                        await CopyColumnAsync(source, target, column, field);
                    }
                }
            }
        }));

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

    private static async Task WriteFloatImagesAsync(ParquetRowGroupWriter group, float[] images, int pixels)
    {
        var definition = new int[images.Length];
        Array.Fill(definition, FloatImageElement.MaxDefinitionLevel);
        var repetition = new int[images.Length];
        for (int i = 0; i < repetition.Length; i++) repetition[i] = i % pixels == 0 ? 0 : 1;
        await group.WriteAllPartsAsync<float>(FloatImageElement, images, definition, repetition, default);
    }

    private static async Task CopyColumnAsync(ParquetRowGroupReader source, ParquetRowGroupWriter target, DataField from, DataField to)
    {
        int n = checked((int)source.RowCount);
        if (to == Row) await CopyAsync<long>();
        else if (to == Sample) await CopyAsync<int>();
        else if (to == Target || to == PredictedAbsorption) await CopyAsync<float>();
        else if (to == InTrainingRange) await CopyAsync<bool>();
        else if (to == PackedImage)
        {
            var values = new byte[n][];
            await source.ReadAsync(from, values, null);
            await target.WriteAsync(PackedImage, values);
        }
        else
        {
            int levels = checked((int)(source.GetMetadata(from)?.MetaData?.NumValues ?? 0));
            var values = new float[levels];
            var definition = new int[levels];
            var repetition = new int[levels];
            await source.ReadRawAsync<float>(from, values, definition, repetition);
            await target.WriteAllPartsAsync<float>(FloatImageElement, values, definition, repetition, default);
        }

        async Task CopyAsync<T>() where T : struct
        {
            var values = new T[n];
            await source.ReadAsync<T>(from, values);
            await target.WriteAsync<T>((DataField<T>)to, values);
        }
    }
}
