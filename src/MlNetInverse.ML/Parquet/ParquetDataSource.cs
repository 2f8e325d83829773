using MlNetInverse.ML.Data;
using MlNetInverse.ML.Internals;
using Parquet;

namespace MlNetInverse.ML.Parquet;

/// <summary>One cursor's open Parquet file: reads the active bound columns of one row group at a time.</summary>
internal sealed class ParquetDataSource : IRowGroupSource
{
    private readonly Stream _stream;
    private readonly ParquetReader _reader;
    private readonly IReadOnlyList<ParquetColumnBinding> _bindings;
    private readonly string _source;

    private ParquetDataSource(Stream stream, ParquetReader reader, IReadOnlyList<ParquetColumnBinding> bindings, string source)
    {
        _stream = stream;
        _reader = reader;
        _bindings = bindings;
        _source = source;
    }

    public int RowGroupCount => _reader.RowGroupCount;

    public long RowGroupRowCount(int index) => _reader.RowGroups[index].RowCount;

    public static ParquetDataSource Open(Func<Stream> open, IReadOnlyList<ParquetColumnBinding> bindings, string source)
    {
        var stream = open();
        try
        {
            var reader = SyncOverAsync.Run(() => ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true));
            return new ParquetDataSource(stream, reader, bindings, source);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public ColumnBuffer?[] ReadRowGroup(int index, IReadOnlyList<bool> active) => SyncOverAsync.Run(async () =>
    {
        using var group = _reader.OpenRowGroupReader(index);
        int rows = checked((int)group.RowCount);
        var buffers = new ColumnBuffer?[_bindings.Count];
        for (int c = 0; c < buffers.Length; c++)
            if (active[c]) buffers[c] = await ParquetColumnReader.ReadAsync(group, _bindings[c], rows, _source);
        return buffers;
    });

    public void Dispose()
    {
        SyncOverAsync.Run(async () => await _reader.DisposeAsync());
        _stream.Dispose();
    }
}
