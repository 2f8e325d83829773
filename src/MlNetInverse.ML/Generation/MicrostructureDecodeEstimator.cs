using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Schema;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.ML.VqVae;

namespace MlNetInverse.ML.Generation;

/// <summary>
/// The decode step of the generation chain: nothing is learned. <see cref="Fit"/> takes the fitted VQ-VAE (from the
/// <see cref="VqVaeEstimator"/> fitted earlier in the same chain, or a given transformer) and a surrogate, reads the
/// number of samples N from the latent column's size, and returns a <see cref="MicrostructureDecodeTransformer"/> with
/// its own copies of both models.
/// </summary>
public sealed class MicrostructureDecodeEstimator : IEstimator<MicrostructureDecodeTransformer>
{
    private readonly IHost _host;
    private readonly MicrostructureDecodeOptions _options;
    private readonly VqVaeEstimator? _vqVaeEstimator;
    private readonly VqVaeTransformer? _vqVae;

    internal MicrostructureDecodeEstimator(IHostEnvironment env, MicrostructureDecodeOptions options, VqVaeEstimator? vqVaeEstimator, VqVaeTransformer? vqVae)
    {
        _host = Contracts.CheckRef(env, nameof(env)).Register(nameof(MicrostructureDecodeEstimator));
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputColumnName, nameof(options.OutputColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.InputColumnName, nameof(options.InputColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.PredictedAbsorptionColumnName, nameof(options.PredictedAbsorptionColumnName));
        if (options.OutputColumnName == options.PredictedAbsorptionColumnName)
            throw new ArgumentException($"MicrostructureDecodeOptions.OutputColumnName and PredictedAbsorptionColumnName are both '{options.OutputColumnName}'; every output column needs its own name.", nameof(options));
        if (vqVaeEstimator is null && vqVae is null) throw new ArgumentNullException(nameof(vqVae), "Give the VQ-VAE estimator of the chain or a fitted VQ-VAE.");
        _options = options;
        _vqVaeEstimator = vqVaeEstimator;
        _vqVae = vqVae;
    }

    /// <summary>Checks the latent column (Vector&lt;Single&gt;) and adds the image and predicted absorption columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        InputColumnCheck.Require(inputSchema, _options.InputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single);
        var columns = inputSchema.ToDictionary(c => c.Name);
        foreach (var name in new[] { _options.OutputColumnName, _options.PredictedAbsorptionColumnName })
            columns[name] = new SchemaShape.Column(name, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
        return new SchemaShape(columns.Values);
    }

    /// <summary>Builds the decoder for the input's latent column; reads no rows.</summary>
    /// <exception cref="InvalidOperationException">The VQ-VAE estimator has not been fitted yet, or no surrogate is available.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The latent column is missing, or its size is not a multiple of the VQ-VAE's latent size.</exception>
    public MicrostructureDecodeTransformer Fit(IDataView input)
    {
        _host.CheckValue(input, nameof(input));
        var vqVae = _vqVae ?? _vqVaeEstimator!.Fitted
            ?? throw new InvalidOperationException(
                "The VQ-VAE estimator given to DecodeMicrostructures has not been fitted: append it earlier in the same chain (with TransformerScope.TrainTest to keep the encoder out of the scoring model).");
        var surrogate = _options.Surrogate ?? vqVae.Surrogate
            ?? throw new InvalidOperationException(
                "DecodeMicrostructures needs an absorption surrogate: set MicrostructureDecodeOptions.Surrogate, or fit the VQ-VAE with a surrogate (VqVaeEstimatorOptions.Surrogate or SurrogateTraining).");
        int latentLength = VqVaeTransformer.LatentType(vqVae.Architecture).Size;
        var column = InputColumnCheck.Require(input.Schema, _options.InputColumnName,
            type => type is VectorDataViewType { IsKnownSize: true } v && v.ItemType == NumberDataViewType.Single && v.Size % latentLength == 0,
            $"a Vector<Single> of N * {latentLength} values (N latents of the VQ-VAE's size {latentLength})");
        int samples = ((VectorDataViewType)column.Type).Size / latentLength;
        return new MicrostructureDecodeTransformer(_host, vqVae.CopyModel(_options.Device), CopyOf(surrogate), samples,
            _options.OutputColumnName, _options.PredictedAbsorptionColumnName, _options.InputColumnName, _options.Device);
    }

    private static Models.Surrogate.AbsorptionSurrogateModel CopyOf(AbsorptionSurrogateTransformer surrogate) => surrogate.CopyModel();
}
