using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Schema;

namespace MlNetInverse.ML.Images;

/// <summary>Fits nothing: builds a <see cref="VectorFlatteningTransformer"/> for a column of <see cref="Size"/> values.</summary>
internal sealed class VectorFlatteningEstimator : IEstimator<VectorFlatteningTransformer>
{
    private readonly IHostEnvironment _env;
    private readonly string _outputColumnName;
    private readonly string _inputColumnName;

    public VectorFlatteningEstimator(IHostEnvironment env, string outputColumnName, string inputColumnName, int size)
    {
        _env = Contracts.CheckRef(env, nameof(env));
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _outputColumnName = outputColumnName;
        _inputColumnName = inputColumnName;
        Size = size;
    }

    /// <summary>Values per row.</summary>
    public int Size { get; }

    public VectorFlatteningTransformer Fit(IDataView input) =>
        new(_env, _outputColumnName, _inputColumnName, Size);

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        InputColumnCheck.Require(inputSchema, _inputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single);
        var columns = inputSchema.ToDictionary(c => c.Name);
        columns[_outputColumnName] = new SchemaShape.Column(_outputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
        return new SchemaShape(columns.Values);
    }
}
