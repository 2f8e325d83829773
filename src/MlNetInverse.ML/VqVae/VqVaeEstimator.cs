using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Internals;
using MlNetInverse.ML.Schema;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.Training;
using MlNetInverse.Models.VqVae;

namespace MlNetInverse.ML.VqVae;

/// <summary>
/// Trains a VQ-VAE (<see cref="VqVaeModel"/>, by <see cref="VqVaeTrainer"/>) on an image column and returns a
/// <see cref="VqVaeTransformer"/> that adds the quantized latent, the code indices and optionally the reconstruction.
/// With a surrogate (given, or trained in Fit on the absorption column) and Beta &gt; 0 the loss includes the
/// absorption term of the paper; otherwise it is left out. All rows are trained on: hold out test rows before Fit.
/// </summary>
public sealed class VqVaeEstimator : IEstimator<VqVaeTransformer>
{
    private readonly IHost _host;
    private readonly VqVaeEstimatorOptions _options;

    internal VqVaeEstimator(IHostEnvironment env, VqVaeEstimatorOptions options)
    {
        _host = Contracts.CheckRef(env, nameof(env)).Register(nameof(VqVaeEstimator));
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.LatentColumnName, nameof(options.LatentColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.CodeIndicesColumnName, nameof(options.CodeIndicesColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ImageColumnName, nameof(options.ImageColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.AbsorptionColumnName, nameof(options.AbsorptionColumnName));
        if (options.ReconstructionColumnName is not null) ArgumentException.ThrowIfNullOrWhiteSpace(options.ReconstructionColumnName, nameof(options.ReconstructionColumnName));
        if (options.Surrogate is not null && options.SurrogateTraining is not null)
            throw new ArgumentException("Give either a fitted Surrogate or SurrogateTraining options, not both.", nameof(options));
        ArgumentNullException.ThrowIfNull(options.Network, nameof(options.Network));
        ArgumentNullException.ThrowIfNull(options.Training, nameof(options.Training));
        _options = options;
        // Numbers fail here, before any data is read (the image size is only known at Fit; 64 stands in for it).
        TrainingOptions().Validate();
        int grid = options.Network.LatentGridSize;
        if (grid < 1 || (grid & (grid - 1)) != 0)
            throw new ArgumentException($"VqVaeEstimatorOptions.Network.LatentGridSize must be a power of two (e.g. 4, 8 or 16 cells); got {grid}.", nameof(options));
        ModelOptions(Math.Max(64, 4 * grid)).Validate();
        if (options.SurrogateTraining is not null) _ = new AbsorptionSurrogateEstimator(env, options.SurrogateTraining);
    }

    /// <summary>
    /// The transformer the most recent <see cref="Fit"/> returned; null before the first Fit. Later steps of the same
    /// estimator chain that need the fitted VQ-VAE (e.g. <see cref="InverseCatalog.DecodeMicrostructures(VqVaeEstimator, Generation.MicrostructureDecodeOptions)"/>)
    /// read it in their own Fit, which runs after this one.
    /// </summary>
    public VqVaeTransformer? Fitted { get; private set; }

    /// <summary>True when the loss has the absorption term: Beta &gt; 0 and a surrogate given or trained in Fit.</summary>
    public bool UsesAbsorptionLoss => _options.Training.Beta > 0 && (_options.Surrogate is not null || _options.SurrogateTraining is not null);

    private bool NeedsLabels => UsesAbsorptionLoss && (_options.SurrogateTraining is not null || _options.Training.AbsorptionReference == AbsorptionReference.Label);

    /// <summary>Checks the image column (and the absorption column when needed) and adds the latent, code index and reconstruction columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        InputColumnCheck.Require(inputSchema, _options.ImageColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single);
        if (NeedsLabels)
            InputColumnCheck.Require(inputSchema, _options.AbsorptionColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, "Label");
        var columns = inputSchema.ToDictionary(c => c.Name);
        void Add(string name, DataViewType item) =>
            columns[name] = new SchemaShape.Column(name, SchemaShape.Column.VectorKind.Vector, item, false);
        Add(_options.LatentColumnName, NumberDataViewType.Single);
        Add(_options.CodeIndicesColumnName, NumberDataViewType.Int32);
        if (_options.ReconstructionColumnName is { } reconstruction) Add(reconstruction, NumberDataViewType.Single);
        return new SchemaShape(columns.Values);
    }

    /// <summary>Reads every row, trains (a surrogate first when configured) and returns the fitted VQ-VAE.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type or size; the message names it.</exception>
    /// <exception cref="ArgumentException">An architecture setting does not fit the image size (e.g. LatentGridSize), or the surrogate's image size differs.</exception>
    /// <exception cref="InvalidOperationException">No rows, a pixel outside [0, 1], a non-finite label, a checkpoint of another run, or CUDA requested but missing.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token fired; the checkpoint (if any) holds the last finished epoch.</exception>
    public VqVaeTransformer Fit(IDataView input)
    {
        _host.CheckValue(input, nameof(input));
        DeviceResolver.Resolve(_options.Training.Device); // a missing GPU fails before the data is read
        var data = LabelledImages.Read(input, _options.ImageColumnName, NeedsLabels ? _options.AbsorptionColumnName : null, VqVaeTransformer.Component);
        var modelOptions = ModelOptions(data.ImageSize);
        modelOptions.Validate();
        if (_options.Surrogate is { } given && given.Architecture.ImageSize != data.ImageSize)
            throw new ArgumentException(
                $"The surrogate takes {given.Architecture.ImageSize}x{given.Architecture.ImageSize} images but column '{_options.ImageColumnName}' holds {data.ImageSize}x{data.ImageSize} images.",
                nameof(VqVaeEstimatorOptions.Surrogate));

        var (surrogate, heldOut, source, trainedHere) = PrepareSurrogate(data);
        VqVaeTrainingResult result;
        try
        {
            using var training = new HostTraining<EpochMetrics>(_host, "VQ-VAE", _options.Progress, _options.CancellationToken,
                m => FormattableString.Invariant(
                    $"VQ-VAE epoch {m.Epoch}/{_options.Training.Epochs}: loss {m.Loss:F5}, reconstruction {m.ReconstructionError:F5}, pixel accuracy {m.PixelAccuracy:F4}, perplexity {m.Perplexity:F1}, codes used {m.CodesUsed}, {m.Seconds:F1} s"));
            result = training.Run(token => new VqVaeTrainer(modelOptions, TrainingOptions()).Train(data.Images, data.Labels, surrogate, training, token));
        }
        catch
        {
            trainedHere?.Dispose();
            throw;
        }
        finally
        {
            surrogate?.Dispose();
        }
        using (var channel = _host.Start(nameof(VqVaeEstimator)))
            if (result.DeviceNotice is { } notice) channel.Warning(notice);
        var summary = new VqVaeTrainingSummary(result.History, result.Device, result.DeviceNotice, result.ResumedFromEpoch, source, heldOut);
        var fitted = new VqVaeTransformer(_host, result.Model, _options.LatentColumnName, _options.CodeIndicesColumnName,
            _options.ReconstructionColumnName, _options.ImageColumnName, _options.Training.Device, summary,
            trainedHere ?? _options.Surrogate, ownsSurrogate: trainedHere is not null);
        Fitted = fitted;
        return fitted;
    }

    /// <summary>
    /// The frozen surrogate for the A term (a copy the caller disposes), its held-out errors, where it came from, and
    /// the surrogate transformer trained here (kept on the fitted VQ-VAE), if any.
    /// </summary>
    private (AbsorptionSurrogateModel? Model, SurrogateEvaluation? HeldOut, string Source, AbsorptionSurrogateTransformer? TrainedHere) PrepareSurrogate(LabelledImages data)
    {
        if (!UsesAbsorptionLoss) return (null, null, "none", null);
        if (_options.Surrogate is { } given) return (given.CopyModel(), given.HeldOut, "given surrogate", null);
        var training = _options.SurrogateTraining!;
        var trained = AbsorptionSurrogateEstimator.Train(_host, training, data);
        var transformer = new AbsorptionSurrogateTransformer(_host, trained.Model, training.OutputColumnName, _options.ImageColumnName,
            training.Training.Device, trained.HeldOut);
        return (transformer.CopyModel(), trained.HeldOut, "surrogate trained in Fit", transformer);
    }

    private VqVaeOptions ModelOptions(int imageSize) => _options.Network with { ImageSize = imageSize };

    private VqVaeTrainingOptions TrainingOptions() => _options.Training with { Beta = UsesAbsorptionLoss ? _options.Training.Beta : 0 };
}
