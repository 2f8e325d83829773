using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Internals;
using MlNetInverse.ML.Schema;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.ML.Latents;

/// <summary>
/// A training-only chain step: <see cref="Fit"/> writes the (id, absorption, latent, code indices) of every input row
/// to a Parquet file (see <see cref="LatentFile"/>; temp file + rename) and returns a <see cref="LatentExtractionTransformer"/>
/// that passes rows through unchanged. Append it with <c>TransformerScope.TrainTest</c> so the scoring model leaves it out.
/// </summary>
public sealed class LatentExtractionEstimator : IEstimator<LatentExtractionTransformer>
{
    private readonly IHost _host;
    private readonly LatentExtractionOptions _options;
    private readonly string _path;

    internal LatentExtractionEstimator(IHostEnvironment env, LatentExtractionOptions options)
    {
        _host = Contracts.CheckRef(env, nameof(env)).Register(nameof(LatentExtractionEstimator));
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path, nameof(options.Path));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.AbsorptionColumnName, nameof(options.AbsorptionColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.LatentColumnName, nameof(options.LatentColumnName));
        if (options.CodeIndicesColumnName is not null) ArgumentException.ThrowIfNullOrWhiteSpace(options.CodeIndicesColumnName, nameof(options.CodeIndicesColumnName));
        if (options.RowGroupSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.RowGroupSize, $"LatentExtractionOptions.RowGroupSize must be at least 1 row; got {options.RowGroupSize}.");
        _options = options;
        _path = System.IO.Path.GetFullPath(options.Path);
    }

    /// <summary>The file every <see cref="Fit"/> writes (full path).</summary>
    public string Path => _path;

    /// <summary>Checks the absorption, latent and code index columns; the output schema is the input's (rows pass through).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        InputColumnCheck.Require(inputSchema, _options.AbsorptionColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, "Label");
        InputColumnCheck.Require(inputSchema, _options.LatentColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single);
        if (_options.CodeIndicesColumnName is { } codes)
            InputColumnCheck.Require(inputSchema, codes, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Int32);
        return inputSchema;
    }

    /// <summary>Reads every row once and writes the latent file; returns the pass-through transformer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has another type; the message names it.</exception>
    /// <exception cref="OperationCanceledException">The options' token fired; no file is written.</exception>
    public LatentExtractionTransformer Fit(IDataView input)
    {
        _host.CheckValue(input, nameof(input));
        LatentFile.Columns(input.Schema, _options);
        LatentFile.Extras(input.Schema, _options);
        long rows = 0;
        AtomicFile.Write(_path, stream => rows = LatentFile.Write(input, stream, _options));
        return new LatentExtractionTransformer(_host, _path, rows);
    }
}
