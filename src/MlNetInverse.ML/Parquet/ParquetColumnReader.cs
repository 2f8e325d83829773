using Microsoft.ML.Data;
using MlNetInverse.ML.Data;
using Parquet;

namespace MlNetInverse.ML.Parquet;

/// <summary>Reads one bound column of one row group into a <see cref="ColumnBuffer"/>.</summary>
internal static class ParquetColumnReader
{
    public static async Task<ColumnBuffer> ReadAsync(ParquetRowGroupReader group, ParquetColumnBinding binding, int rows, string source)
    {
        var item = binding.ItemType;
        if (binding.IsList)
        {
            if (item == NumberDataViewType.Single) return await ReadListAsync<float>(group, binding, source, float.NaN);
            if (item == NumberDataViewType.Double) return await ReadListAsync<double>(group, binding, source, double.NaN);
            if (item == NumberDataViewType.Int32) return await ReadListAsync<int>(group, binding, source, null);
            return await ReadListAsync<long>(group, binding, source, null);
        }
        if (item == TextDataViewType.Instance)
        {
            var strings = new string[rows];
            await group.ReadAsync(binding.Leaf, strings);
            // A null string reads as empty text, ML.NET's missing value for Text.
            return new ScalarColumnBuffer<ReadOnlyMemory<char>>(Array.ConvertAll(strings, s => (s ?? "").AsMemory()));
        }
        if (item == NumberDataViewType.Single) return await ReadScalarAsync<float>(group, binding, rows, source, float.NaN);
        if (item == NumberDataViewType.Double) return await ReadScalarAsync<double>(group, binding, rows, source, double.NaN);
        if (item == NumberDataViewType.Int32) return await ReadScalarAsync<int>(group, binding, rows, source, null);
        if (item == NumberDataViewType.Int64) return await ReadScalarAsync<long>(group, binding, rows, source, null);
        return await ReadScalarAsync<bool>(group, binding, rows, source, null);
    }

    /// <summary>Nulls become <paramref name="missing"/> (NaN for floating point); types without a missing value reject them.</summary>
    private static async Task<ColumnBuffer> ReadScalarAsync<T>(ParquetRowGroupReader group, ParquetColumnBinding binding, int rows, string source, T? missing)
        where T : struct
    {
        var values = new T[rows];
        if (!binding.Leaf.IsNullable)
        {
            await group.ReadAsync<T>(binding.Leaf, values);
            return new ScalarColumnBuffer<T>(values);
        }
        var nullable = new T?[rows];
        await group.ReadAsync<T>(binding.Leaf, nullable);
        for (int i = 0; i < rows; i++)
            values[i] = nullable[i] ?? missing ?? throw NullValue(binding, source, $"row {i} of the row group");
        return new ScalarColumnBuffer<T>(values);
    }

    /// <summary>
    /// Splits the flat list column into rows (a repetition level of 0 starts a row). Only present elements carry a
    /// value; an element one definition level short is a null element (NaN for floating point), anything lower an
    /// empty or null list (an empty vector).
    /// </summary>
    private static async Task<ColumnBuffer> ReadListAsync<T>(ParquetRowGroupReader group, ParquetColumnBinding binding, string source, T? missing)
        where T : struct
    {
        var field = binding.Leaf;
        int levels = checked((int)(group.GetMetadata(field)?.MetaData?.NumValues ?? 0));
        var present = new T[levels];
        var definition = new int[levels];
        var repetition = new int[levels];
        await group.ReadRawAsync<T>(field, present, definition, repetition);

        int maxDefinition = field.MaxDefinitionLevel;
        int nullElement = field.IsNullable ? maxDefinition - 1 : -1;
        var values = new List<T>(levels);
        var offsets = new List<int>(levels / Math.Max(1, binding.VectorSize) + 1);
        int next = 0;
        for (int k = 0; k < levels; k++)
        {
            if (repetition[k] == 0) offsets.Add(values.Count);
            if (definition[k] == maxDefinition) values.Add(present[next++]);
            else if (definition[k] == nullElement) values.Add(missing ?? throw NullValue(binding, source, $"row {offsets.Count - 1} of the row group"));
        }
        offsets.Add(values.Count);
        var offsetArray = offsets.ToArray();
        if (binding.VectorSize > 0)
        {
            for (int r = 0; r + 1 < offsetArray.Length; r++)
            {
                int length = offsetArray[r + 1] - offsetArray[r];
                if (length != binding.VectorSize)
                    throw new InvalidDataException($"Parquet file '{source}': column '{binding.Name}' has {length} values in row {r} of a row group; expected {binding.VectorSize} ({binding.Type}).");
            }
        }
        return new VectorColumnBuffer<T>(values.ToArray(), offsetArray);
    }

    private static InvalidDataException NullValue(ParquetColumnBinding binding, string source, string where) =>
        new($"Parquet file '{source}': column '{binding.Name}' has a null at {where}; {binding.ItemType} has no missing value.");
}
