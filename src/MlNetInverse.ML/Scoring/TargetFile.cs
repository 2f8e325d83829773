using System.Globalization;
using MlNetInverse.ML.Internals;
using Parquet;
using Parquet.Schema;

namespace MlNetInverse.ML.Scoring;

/// <summary>
/// The target absorptions of a scoring run: one float or double column of a Parquet file, read one row group at a
/// time (only that column, 4-8 bytes a row), so any number of rows streams in flat memory. Opening checks the file
/// and the column; <see cref="Validate"/> checks every value before anything is written.
/// </summary>
internal sealed class TargetFile
{
    /// <summary>Column names tried, in order, when none is given.</summary>
    public static readonly string[] DefaultColumns = ["target", "absorption", "Absorption", "Target"];

    private readonly DataField _field;
    private readonly long[] _groupStarts;
    private int _cachedGroup = -1;
    private float[] _cached = [];

    private TargetFile(string path, DataField field, long[] groupRows)
    {
        Path = path;
        _field = field;
        _groupStarts = new long[groupRows.Length + 1];
        for (int g = 0; g < groupRows.Length; g++) _groupStarts[g + 1] = _groupStarts[g] + groupRows[g];
    }

    public string Path { get; }

    /// <summary>The column the targets are read from.</summary>
    public string Column => _field.Name;

    /// <summary>Rows in the file.</summary>
    public long RowCount => _groupStarts[^1];

    /// <summary>Opens <paramref name="path"/> and finds the target column.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not Parquet, damaged, no rows, no such column, or a column that is not float/double; one line naming it.</exception>
    public static TargetFile Open(string path, string? column)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Targets file '{path}' does not exist.", path);
        return SyncOverAsync.Run(async () =>
        {
            await using var stream = File.OpenRead(path);
            ParquetReader reader;
            try
            {
                reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or IndexOutOfRangeException or OverflowException)
            {
                throw new InvalidDataException($"Targets file '{path}' is not a Parquet file or is damaged ({OneLine(e.Message)}).", e);
            }
            await using (reader)
            {
                var fields = reader.Schema.DataFields;
                var field = column is not null
                    ? fields.FirstOrDefault(f => f.Name == column && f.Path.Length == 1)
                    : DefaultColumns.Select(name => fields.FirstOrDefault(f => f.Name == name && f.Path.Length == 1)).FirstOrDefault(f => f is not null);
                string available = string.Join(", ", fields.Select(f => $"{f.Name} ({Describe(f)})"));
                if (field is null)
                    throw new InvalidDataException(column is not null
                        ? $"Targets file '{path}' has no column '{column}'; it has {available}."
                        : $"Targets file '{path}' has none of the columns {string.Join(", ", DefaultColumns)}; it has {available}. Name the target column with --column.");
                if (field.ClrType != typeof(float) && field.ClrType != typeof(double))
                    throw new InvalidDataException($"Targets file '{path}': column '{field.Name}' is {Describe(field)}; target absorptions must be float or double numbers.");
                var rows = reader.RowGroups.Select(g => g.RowCount).ToArray();
                if (rows.Sum() == 0) throw new InvalidDataException($"Targets file '{path}' has no rows; there is nothing to score.");
                return new TargetFile(path, field, rows);
            }
        });
    }

    /// <summary>
    /// Reads every target once and checks it is a number in (0, 1]; throws on the first bad one (row and value named),
    /// so a run with a bad row writes nothing.
    /// </summary>
    public void Validate(long first, long count, CancellationToken cancellationToken)
    {
        var buffer = new float[Math.Min(count, 1 << 16)];
        for (long start = first; start < first + count; start += buffer.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = (int)Math.Min(buffer.Length, first + count - start);
            Read(start, buffer.AsSpan(0, n));
            for (int i = 0; i < n; i++)
            {
                float t = buffer[i];
                if (!(t > 0 && t <= 1))
                {
                    string what = float.IsNaN(t) ? "NaN" : t.ToString("R", CultureInfo.InvariantCulture);
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"Targets file '{Path}': row {start + i} of column '{Column}' is {what}; a target absorption must be a number in (0, 1], e.g. 0.65."));
                }
            }
        }
    }

    /// <summary>Copies targets <paramref name="first"/> .. first + target.Length - 1 into <paramref name="target"/>.</summary>
    public void Read(long first, Span<float> target)
    {
        int done = 0;
        while (done < target.Length)
        {
            long row = first + done;
            int group = Array.BinarySearch(_groupStarts, row);
            if (group < 0) group = ~group - 1;
            while (group + 1 < _groupStarts.Length - 1 && _groupStarts[group + 1] <= row) group++; // skip empty row groups
            var values = Group(group);
            int offset = (int)(row - _groupStarts[group]);
            int n = Math.Min(target.Length - done, values.Length - offset);
            values.AsSpan(offset, n).CopyTo(target[done..]);
            done += n;
        }
    }

    /// <summary>Row group <paramref name="group"/>'s targets as float (nulls are refused); the last one read is cached.</summary>
    private float[] Group(int group)
    {
        if (group == _cachedGroup) return _cached;
        _cached = SyncOverAsync.Run(async () =>
        {
            await using var stream = File.OpenRead(Path);
            await using var reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true);
            using var rowGroup = reader.OpenRowGroupReader(group);
            int n = checked((int)rowGroup.RowCount);
            var values = new float[n];
            try
            {
                if (_field.ClrType == typeof(float)) await ReadAsync<float>(rowGroup, n, values, v => v);
                else await ReadAsync<double>(rowGroup, n, values, v => (float)v);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or IndexOutOfRangeException)
            {
                throw new InvalidDataException($"Targets file '{Path}': row group {group} is damaged ({OneLine(e.Message)}).", e);
            }
            return values;
        });
        _cachedGroup = group;
        return _cached;
    }

    private async Task ReadAsync<T>(ParquetRowGroupReader rowGroup, int n, float[] values, Func<T, float> convert) where T : struct
    {
        if (!_field.IsNullable)
        {
            var raw = new T[n];
            await rowGroup.ReadAsync<T>(_field, raw);
            for (int i = 0; i < n; i++) values[i] = convert(raw[i]);
            return;
        }
        var nullable = new T?[n];
        await rowGroup.ReadAsync<T>(_field, nullable);
        for (int i = 0; i < n; i++) values[i] = nullable[i] is { } v ? convert(v) : float.NaN; // a null is reported as NaN by Validate
    }

    private static string Describe(DataField field) =>
        (field.ClrType == typeof(float) ? "float"
        : field.ClrType == typeof(double) ? "double"
        : field.ClrType == typeof(string) ? "string"
        : field.ClrType == typeof(byte[]) || field.ClrType == typeof(ReadOnlyMemory<byte>) ? "binary"
        : field.ClrType.Name.ToLowerInvariant()) + (field.Path.Length > 1 ? " list" : "");

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
}
