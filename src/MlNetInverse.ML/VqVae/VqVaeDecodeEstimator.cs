using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML.Schema;

namespace MlNetInverse.ML.VqVae;

/// <summary>
/// The estimator form of a <see cref="VqVaeDecodeTransformer"/>, so a decoder can be appended to estimator chains
/// (e.g. after a latent sampler). Nothing is learned: <see cref="Fit"/> checks the input schema and returns the decoder
/// built from the VQ-VAE, the same instance every time.
/// </summary>
public sealed class VqVaeDecodeEstimator : IEstimator<VqVaeDecodeTransformer>
{
    private readonly VqVaeDecodeTransformer _decoder;

    internal VqVaeDecodeEstimator(VqVaeDecodeTransformer decoder) => _decoder = decoder;

    /// <summary>The decoder every <see cref="Fit"/> returns.</summary>
    public VqVaeDecodeTransformer Decoder => _decoder;

    /// <summary>Checks that the latent column exists as a Vector&lt;Single&gt; and adds the image column.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        InputColumnCheck.Require(inputSchema, _decoder.InputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single);
        var columns = inputSchema.ToDictionary(c => c.Name);
        columns[_decoder.OutputColumnName] = new SchemaShape.Column(
            _decoder.OutputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
        return new SchemaShape(columns.Values);
    }

    /// <summary>Checks the latent column's type and size and returns the decoder.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The latent column is missing or has another type or size.</exception>
    public VqVaeDecodeTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _decoder.GetOutputSchema(input.Schema);
        return _decoder;
    }
}
