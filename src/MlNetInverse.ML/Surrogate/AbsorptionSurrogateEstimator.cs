using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Internals;
using MlNetInverse.ML.Schema;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.Training;

namespace MlNetInverse.ML.Surrogate;

/// <summary>
/// Trains the absorption surrogate CNN (<see cref="AbsorptionSurrogateModel"/>, by <see cref="SurrogateTrainer"/>) on
/// an image column and a Single absorption label column, and returns an <see cref="AbsorptionSurrogateTransformer"/>.
/// A seeded share of the rows (<see cref="Models.Training.SupervisedTrainingOptions.HeldOutFraction"/> of <see cref="AbsorptionSurrogateEstimatorOptions.Training"/>) is held out before
/// training and measured afterwards (<see cref="AbsorptionSurrogateTransformer.HeldOut"/>).
/// </summary>
public sealed class AbsorptionSurrogateEstimator : IEstimator<AbsorptionSurrogateTransformer>
{
    private readonly IHost _host;
    private readonly AbsorptionSurrogateEstimatorOptions _options;

    internal AbsorptionSurrogateEstimator(IHostEnvironment env, AbsorptionSurrogateEstimatorOptions options)
    {
        _host = Contracts.CheckRef(env, nameof(env)).Register(nameof(AbsorptionSurrogateEstimator));
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputColumnName, nameof(options.OutputColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ImageColumnName, nameof(options.ImageColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.LabelColumnName, nameof(options.LabelColumnName));
        ArgumentNullException.ThrowIfNull(options.Network, nameof(options.Network));
        ArgumentNullException.ThrowIfNull(options.Training, nameof(options.Training));
        _options = options;
        // Fail at construction, not after reading the data: every number is checked by the Models' own validation.
        options.Training.Validate();
        (options.Network with { ImageSize = 64 }).Validate();
    }

    /// <summary>Checks the image column (a known-size Vector&lt;Single&gt;) and the label (Single), and adds the prediction (Single).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        InputColumnCheck.Require(inputSchema, _options.ImageColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single);
        InputColumnCheck.Require(inputSchema, _options.LabelColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, "Label");
        var columns = inputSchema.ToDictionary(c => c.Name);
        columns[_options.OutputColumnName] = new SchemaShape.Column(
            _options.OutputColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false);
        return new SchemaShape(columns.Values);
    }

    /// <summary>Reads every row, trains the surrogate and returns the fitted transformer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type or size; the message names it.</exception>
    /// <exception cref="InvalidOperationException">No rows, a pixel outside [0, 1], a non-finite label, or CUDA requested but missing.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token fired; the checkpoint (if any) is kept.</exception>
    public AbsorptionSurrogateTransformer Fit(IDataView input)
    {
        _host.CheckValue(input, nameof(input));
        DeviceResolver.Resolve(_options.Training.Device); // a missing GPU fails before the data is read
        var data = LabelledImages.Read(input, _options.ImageColumnName, _options.LabelColumnName, AbsorptionSurrogateTransformer.Component);
        var result = Train(_host, _options, data);
        using (var channel = _host.Start(nameof(AbsorptionSurrogateEstimator)))
            if (result.DeviceNotice is { } notice) channel.Warning(notice);
        return new AbsorptionSurrogateTransformer(_host, result.Model, _options.OutputColumnName, _options.ImageColumnName,
            _options.Training.Device, result.HeldOut);
    }

    /// <summary>
    /// Trains a surrogate on <paramref name="data"/> with <paramref name="options"/> (shared with the VQ-VAE estimator):
    /// epoch lines go to <paramref name="host"/>'s log, and the host's cancellation stops training.
    /// </summary>
    internal static SurrogateTrainingResult Train(IHost host, AbsorptionSurrogateEstimatorOptions options, LabelledImages data)
    {
        if (data.Labels is null) throw new InvalidOperationException("The absorption surrogate needs labels.");
        if (data.Count < 2)
            throw new InvalidOperationException($"The absorption surrogate needs at least 2 rows (one to train, one to hold out); the data has {data.Count}.");
        var trainer = new SurrogateTrainer(options.Network with { ImageSize = data.ImageSize }, options.Training);
        using var training = new HostTraining<SurrogateEpochMetrics>(host, "Absorption surrogate", options.Progress, options.CancellationToken,
            m => FormattableString.Invariant(
                $"Surrogate epoch {m.Epoch}/{options.Training.Epochs}: training loss {m.TrainingLoss:F5}, held-out MAE {m.HeldOutMeanAbsoluteError:F4}, R2 {m.HeldOutRSquared:F3}, {m.Seconds:F1} s"));
        return training.Run(token => trainer.Train(data.Images, data.Labels, training, token));
    }
}
