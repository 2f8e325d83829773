using MlNetInverse.ML.Parquet;
using Parquet;
using Parquet.Schema;

namespace MlNetInverse.ML.Latents;

/// <summary>Writes the 0-based row number as an Int64 Parquet column, for inputs that carry no sample id.</summary>
internal sealed class RowNumberColumnWriter : ParquetColumnWriter
{
    private readonly List<long> _values = [];
    private long _next;

    public RowNumberColumnWriter(string name) : base(new DataField<long>(name, false))
    {
    }

    public override void Append() => _values.Add(_next++);

    public override async Task FlushAsync(ParquetRowGroupWriter group)
    {
        await group.WriteAsync<long>((DataField)Field, _values.ToArray());
        _values.Clear();
    }
}
