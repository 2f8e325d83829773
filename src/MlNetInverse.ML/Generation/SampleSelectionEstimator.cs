using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Schema;

namespace MlNetInverse.ML.Generation;

/// <summary>
/// Screens generated samples with the surrogate: of the M decoded samples of a row it keeps the
/// <see cref="SampleSelectionOptions.Keep"/> whose predicted absorption is closest to the row's target (see
/// <see cref="SampleSelectionTransformer"/>). Nothing is learned; <see cref="Fit"/> reads M and the image size from
/// the input schema.
/// </summary>
public sealed class SampleSelectionEstimator : IEstimator<SampleSelectionTransformer>
{
    private readonly IHost _host;
    private readonly SampleSelectionOptions _options;

    internal SampleSelectionEstimator(IHostEnvironment env, SampleSelectionOptions options)
    {
        _host = Contracts.CheckRef(env, nameof(env)).Register(nameof(SampleSelectionEstimator));
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.TargetColumnName, nameof(options.TargetColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ImagesColumnName, nameof(options.ImagesColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.PredictedAbsorptionColumnName, nameof(options.PredictedAbsorptionColumnName));
        if (options.LatentsColumnName is not null) ArgumentException.ThrowIfNullOrWhiteSpace(options.LatentsColumnName, nameof(options.LatentsColumnName));
        if (options.Keep < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Keep, $"SampleSelectionOptions.Keep must be at least 1; got {options.Keep}.");
        Models.Surrogate.SurrogateScreen.CheckSoftness(options.Softness, options.VolumeFractionStrata);
        _options = options;
    }

    /// <summary>Checks the three columns; the image and prediction columns are replaced by shorter ones.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        InputColumnCheck.Require(inputSchema, _options.TargetColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single);
        InputColumnCheck.Require(inputSchema, _options.ImagesColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single);
        InputColumnCheck.Require(inputSchema, _options.PredictedAbsorptionColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single);
        if (_options.LatentsColumnName is { } latents)
            InputColumnCheck.Require(inputSchema, latents, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single);
        return inputSchema;
    }

    /// <summary>Reads M and the image size from the input schema; reads no rows.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has another type, or Keep exceeds M.</exception>
    public SampleSelectionTransformer Fit(IDataView input)
    {
        _host.CheckValue(input, nameof(input));
        var (candidates, pixels) = SampleSelectionTransformer.Shape(input.Schema, _options.TargetColumnName, _options.ImagesColumnName, _options.PredictedAbsorptionColumnName);
        if (_options.Keep > candidates)
            throw new ArgumentOutOfRangeException(nameof(input), $"SampleSelectionOptions.Keep is {_options.Keep} but column '{_options.PredictedAbsorptionColumnName}' holds {candidates} samples per row; draw at least as many as are kept.");
        return new SampleSelectionTransformer(_host, _options.Keep, candidates, pixels, _options.TargetColumnName, _options.ImagesColumnName, _options.PredictedAbsorptionColumnName,
            _options.LatentsColumnName, _options.VolumeFractionStrata, _options.Softness, _options.Seed);
    }
}
