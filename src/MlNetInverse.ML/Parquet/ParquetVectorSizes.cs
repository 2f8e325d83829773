namespace MlNetInverse.ML.Parquet;

/// <summary>
/// Where a Parquet file written by this library records the size of known-size vector columns: key/value metadata
/// <c>mlnet_inverse.vector_size.&lt;column&gt;</c> = size, so a later load gives the same Vector&lt;T, size&gt; type.
/// </summary>
internal static class ParquetVectorSizes
{
    public const string KeyPrefix = "mlnet_inverse.vector_size.";

    public static string Key(string column) => KeyPrefix + column;

    /// <summary>The recorded size of <paramref name="column"/>, or null.</summary>
    public static int? Find(IReadOnlyDictionary<string, string> metadata, string column, string source)
    {
        if (!metadata.TryGetValue(Key(column), out var text)) return null;
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size) || size < 1)
            throw new InvalidDataException($"Parquet file '{source}': metadata '{Key(column)}' is '{text}'; expected a positive vector size.");
        return size;
    }
}
