using MlNetInverse.ML.Scoring;
using Parquet;
using Parquet.Schema;

namespace MlNetInverse.Tests.Scoring;

/// <summary>Writes target files and reads scoring outputs with Parquet.Net's low-level API.</summary>
internal static class ScoringFiles
{
    /// <summary>One output row.</summary>
    public sealed record Row(long InputRow, int Sample, float Target, bool InTrainingRange, float? PredictedAbsorption, byte[]? Packed, float[]? Pixels);

    /// <summary>Writes <paramref name="values"/> as column <paramref name="column"/> (float), in row groups of <paramref name="rowGroup"/>.</summary>
    public static string WriteTargets(string path, float[] values, string column = "target", int rowGroup = 1000) =>
        Write(path, new DataField<float>(column, false), values, rowGroup);

    /// <summary>Writes <paramref name="values"/> as a double column.</summary>
    public static string WriteDoubles(string path, double[] values, string column = "target") =>
        Write(path, new DataField<double>(column, false), values, values.Length);

    /// <summary>Writes a string column (a column of the wrong type).</summary>
    public static string WriteStrings(string path, string[] values, string column = "target")
    {
        var field = new DataField<string>(column, false);
        using var stream = File.Create(path);
        Task.Run(async () =>
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(field), stream);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(field, values);
        }).GetAwaiter().GetResult();
        return path;
    }

    /// <summary>Evenly spaced targets in [low, high].</summary>
    public static float[] Spread(int count, float low = 0.32f, float high = 0.78f) =>
        Enumerable.Range(0, count).Select(i => low + (high - low) * i / Math.Max(1, count - 1)).ToArray();

    public static Row[] Read(string path)
    {
        return Task.Run(async () =>
        {
            await using var stream = File.OpenRead(path);
            await using var reader = await ParquetReader.CreateAsync(stream);
            var fields = reader.Schema.DataFields;
            DataField Field(string name) => fields.First(f => f.Path.FirstPart == name);
            bool hasAbsorption = fields.Any(f => f.Name == "predicted_absorption");
            var rows = new List<Row>();
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                int n = (int)group.RowCount;
                var ids = new long[n];
                await group.ReadAsync<long>(Field("row"), ids);
                var samples = new int[n];
                await group.ReadAsync<int>(Field("sample"), samples);
                var targets = new float[n];
                await group.ReadAsync<float>(Field("target"), targets);
                var inRange = new bool[n];
                await group.ReadAsync<bool>(Field("in_training_range"), inRange);
                var absorption = new float[n];
                if (hasAbsorption) await group.ReadAsync<float>(Field("predicted_absorption"), absorption);
                var image = Field("image");
                byte[][]? packed = null;
                float[]? pixels = null;
                if (image.ClrType != typeof(float))
                {
                    packed = new byte[n][];
                    await group.ReadAsync(image, packed, null);
                }
                else
                {
                    int levels = (int)(group.GetMetadata(image)?.MetaData?.NumValues ?? 0);
                    pixels = new float[levels];
                    await group.ReadRawAsync<float>(image, pixels, new int[levels], new int[levels]);
                }
                int perImage = pixels is null ? 0 : pixels.Length / n;
                for (int i = 0; i < n; i++)
                    rows.Add(new Row(ids[i], samples[i], targets[i], inRange[i], hasAbsorption ? absorption[i] : null, packed?[i],
                        pixels?.AsSpan(i * perImage, perImage).ToArray()));
            }
            return rows.ToArray();
        }).GetAwaiter().GetResult();
    }

    /// <summary>Row groups of a Parquet file.</summary>
    public static int RowGroups(string path) => Task.Run(async () =>
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        return reader.RowGroupCount;
    }).GetAwaiter().GetResult();

    /// <summary>0/1 pixels of a packed image (Microstructure.ToPackedBits layout).</summary>
    public static float[] Unpack(byte[] packed, int pixels) =>
        Enumerable.Range(0, pixels).Select(i => (packed[i >> 3] & (0x80 >> (i & 7))) != 0 ? 1f : 0f).ToArray();

    private static string Write<T>(string path, DataField<T> field, T[] values, int rowGroup) where T : struct
    {
        using var stream = File.Create(path);
        Task.Run(async () =>
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(field), stream);
            for (int start = 0; start < values.Length; start += rowGroup)
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<T>(field, values.AsSpan(start, Math.Min(rowGroup, values.Length - start)).ToArray());
            }
        }).GetAwaiter().GetResult();
        return path;
    }
}
