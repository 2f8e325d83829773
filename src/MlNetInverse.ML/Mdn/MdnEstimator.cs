using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Internals;
using MlNetInverse.ML.Schema;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Physics.Optics;

namespace MlNetInverse.ML.Mdn;

/// <summary>
/// Trains a mixture density network (<see cref="MixtureDensityNetwork"/>, by <see cref="MdnTrainer"/>) from the
/// absorption label column to the latent column, holding out a seeded share of the pairs for the reported held-out NLL,
/// and returns an <see cref="MdnTransformer"/> that draws <see cref="MdnEstimatorOptions.SamplesPerTarget"/> latents
/// for each row's target absorption. The training absorption range and the optical stack of the labels are kept in
/// the fitted transformer (and in the model zip).
/// </summary>
public sealed class MdnEstimator : IEstimator<MdnTransformer>
{
    private readonly IHost _host;
    private readonly MdnEstimatorOptions _options;

    internal MdnEstimator(IHostEnvironment env, MdnEstimatorOptions options)
    {
        _host = Contracts.CheckRef(env, nameof(env)).Register(nameof(MdnEstimator));
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputColumnName, nameof(options.OutputColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.LabelColumnName, nameof(options.LabelColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.LatentColumnName, nameof(options.LatentColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.InTrainingRangeColumnName, nameof(options.InTrainingRangeColumnName));
        if (options.TargetColumnName is not null) ArgumentException.ThrowIfNullOrWhiteSpace(options.TargetColumnName, nameof(options.TargetColumnName));
        if (options.InTrainingRangeColumnName == options.OutputColumnName)
            throw new ArgumentException($"MdnEstimatorOptions.InTrainingRangeColumnName and OutputColumnName are both '{options.OutputColumnName}'; every output column needs its own name.", nameof(options));
        if (options.SamplesPerTarget < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.SamplesPerTarget, $"MdnEstimatorOptions.SamplesPerTarget must be at least 1; got {options.SamplesPerTarget}.");
        ArgumentNullException.ThrowIfNull(options.Network, nameof(options.Network));
        ArgumentNullException.ThrowIfNull(options.Training, nameof(options.Training));
        _options = options;
        // Numbers fail here, before any data is read, with the Models' own messages.
        ModelOptions().Validate();
        options.Training.Validate();
        options.Stack?.Validate();
    }

    /// <summary>The transformer the most recent <see cref="Fit"/> returned; null before the first Fit.</summary>
    public MdnTransformer? Fitted { get; private set; }

    /// <summary>Checks the label (Single) and latent (Vector&lt;Single&gt;) columns and adds the sampled latents and the range flag.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        InputColumnCheck.Require(inputSchema, _options.LabelColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, "Label");
        InputColumnCheck.Require(inputSchema, _options.LatentColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single);
        if (_options.TargetColumnName is { } target)
            InputColumnCheck.Require(inputSchema, target, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single);
        var columns = inputSchema.ToDictionary(c => c.Name);
        columns[_options.OutputColumnName] = new SchemaShape.Column(
            _options.OutputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
        columns[_options.InTrainingRangeColumnName] = new SchemaShape.Column(
            _options.InTrainingRangeColumnName, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false);
        return new SchemaShape(columns.Values);
    }

    /// <summary>Reads every (absorption, latent) pair, trains the MDN and returns the sampling transformer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has another type; the message names it.</exception>
    /// <exception cref="ArgumentException">Fewer than 2 rows, or a NaN / infinite label or latent value; the message names it.</exception>
    /// <exception cref="InvalidOperationException">A checkpoint of another run, or CUDA requested but missing.</exception>
    /// <exception cref="OperationCanceledException">The options' token fired; the checkpoint (if any) holds the last finished epoch.</exception>
    public MdnTransformer Fit(IDataView input)
    {
        _host.CheckValue(input, nameof(input));
        DeviceResolver.Resolve(_options.Training.Device);
        var label = InputColumnCheck.Require(input.Schema, _options.LabelColumnName, NumberDataViewType.Single, "Label");
        var latent = InputColumnCheck.Require(input.Schema, _options.LatentColumnName,
            type => type is VectorDataViewType { IsKnownSize: true } v && v.ItemType == NumberDataViewType.Single, "a known-size Vector<Single>");
        var (absorption, latents) = ReadPairs(input, label, latent);
        var stack = _options.Stack ?? StackOf(label);

        MdnTrainingResult result;
        using (var training = new HostTraining<MdnEpochMetrics>(_host, "MDN", _options.Progress, _options.CancellationToken,
            m => FormattableString.Invariant($"MDN epoch {m.Epoch}/{_options.Training.Epochs}: training NLL {m.TrainingNll:F4}, held-out NLL {m.HeldOutNll:F4}, {m.Seconds:F1} s")))
            result = training.Run(token => new MdnTrainer(ModelOptions(), _options.Training).Train(absorption, latents, training, token));
        using (var channel = _host.Start(nameof(MdnEstimator)))
            if (result.DeviceNotice is { } notice) channel.Warning(notice);
        var heldOut = new MdnHeldOutEvaluation(result.HeldOutIndices.Count, result.HeldOutNll, result.HeldOutNllPerDimension, result.TrainingNll);
        var summary = new MdnTrainingSummary(result.History, result.Device, result.DeviceNotice, result.ResumedFromEpoch, absorption.Length);
        var fitted = new MdnTransformer(_host, result.Model, _options.OutputColumnName, _options.TargetColumnName ?? _options.LabelColumnName, _options.InTrainingRangeColumnName,
            _options.SamplesPerTarget, _options.SamplingSeed, _options.Training.Device, stack, heldOut, summary);
        Fitted = fitted;
        return fitted;
    }

    private static (float[] Absorption, float[] Latents) ReadPairs(IDataView input, DataViewSchema.Column label, DataViewSchema.Column latent)
    {
        int l = ((VectorDataViewType)latent.Type).Size;
        var absorption = new List<float>();
        var latents = new List<float>();
        using var cursor = input.GetRowCursor([label, latent]);
        var labelGetter = cursor.GetGetter<float>(label);
        var latentGetter = cursor.GetGetter<VBuffer<float>>(latent);
        float value = 0;
        VBuffer<float> vector = default;
        var dense = new float[l];
        while (cursor.MoveNext())
        {
            labelGetter(ref value);
            latentGetter(ref vector);
            vector.CopyTo(dense);
            absorption.Add(value);
            latents.AddRange(dense);
        }
        return (absorption.ToArray(), latents.ToArray());
    }

    private static OpticalStack? StackOf(DataViewSchema.Column label) =>
        MicrostructureDatasetSource.StackJsonOf(label) is { } json ? OpticalStackFile.Parse(json) : null;

    // The latent dimension is the data's (the trainer takes it from the pairs).
    private MdnOptions ModelOptions() => _options.Network with { LatentDimension = 0 };
}
