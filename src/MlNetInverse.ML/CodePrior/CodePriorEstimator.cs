using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Data;
using MlNetInverse.ML.Schema;
using MlNetInverse.Models.CodePrior;
using MlNetInverse.Models.Devices;
using MlNetInverse.Physics.Optics;

namespace MlNetInverse.ML.CodePrior;

/// <summary>
/// Fits a masked code prior (<see cref="MaskedCodePrior"/>, by <see cref="CodePriorTrainer"/>) from the absorption label
/// column to the code index column (e.g. latents.parquet from the latent extraction step), holding out a seeded share
/// of the grids for the reported held-out cross-entropy, and returns a <see cref="CodePriorTransformer"/> that draws
/// <see cref="CodePriorEstimatorOptions.SamplesPerTarget"/> latents from the VQ-VAE's codebook for each row's target.
/// </summary>
public sealed class CodePriorEstimator : IEstimator<CodePriorTransformer>
{
    private readonly IHost _host;
    private readonly CodePriorEstimatorOptions _options;

    internal CodePriorEstimator(IHostEnvironment env, CodePriorEstimatorOptions options)
    {
        _host = Contracts.CheckRef(env, nameof(env)).Register(nameof(CodePriorEstimator));
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputColumnName, nameof(options.OutputColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.LabelColumnName, nameof(options.LabelColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.CodeIndicesColumnName, nameof(options.CodeIndicesColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.InTrainingRangeColumnName, nameof(options.InTrainingRangeColumnName));
        if (options.InTrainingRangeColumnName == options.OutputColumnName)
            throw new ArgumentException($"CodePriorEstimatorOptions.InTrainingRangeColumnName and OutputColumnName are both '{options.OutputColumnName}'; every output column needs its own name.", nameof(options));
        if ((options.VqVae is null) == (options.Decoder is null))
            throw new ArgumentException("CodePriorEstimatorOptions needs the VQ-VAE whose codes the rows hold: set VqVae or Decoder (one of them).", nameof(options));
        if (options.SamplesPerTarget < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.SamplesPerTarget, $"CodePriorEstimatorOptions.SamplesPerTarget must be at least 1; got {options.SamplesPerTarget}.");
        if (options.Rounds < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Rounds, $"CodePriorEstimatorOptions.Rounds must be at least 1; got {options.Rounds}.");
        ArgumentNullException.ThrowIfNull(options.Network, nameof(options.Network));
        ArgumentNullException.ThrowIfNull(options.Training, nameof(options.Training));
        _options = options;
        // Numbers fail here, before any data is read, with the Models' own messages.
        ModelOptions().Validate();
        options.Training.Validate();
        options.Stack?.Validate();
    }

    /// <summary>The transformer the most recent <see cref="Fit"/> returned; null before the first Fit.</summary>
    public CodePriorTransformer? Fitted { get; private set; }

    private Models.VqVae.VqVaeModel VqVae => _options.Decoder?.VqVae ?? _options.VqVae!.Model;

    /// <summary>Checks the label (Single) and code index (Vector&lt;Int32&gt;) columns and adds the sampled latents and the range flag.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        InputColumnCheck.Require(inputSchema, _options.LabelColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, "Label");
        InputColumnCheck.Require(inputSchema, _options.CodeIndicesColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Int32);
        var columns = inputSchema.ToDictionary(c => c.Name);
        columns[_options.OutputColumnName] = new SchemaShape.Column(_options.OutputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
        columns[_options.InTrainingRangeColumnName] = new SchemaShape.Column(
            _options.InTrainingRangeColumnName, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false);
        return new SchemaShape(columns.Values);
    }

    /// <summary>Reads every (absorption, code grid) pair, trains the prior and returns the sampling transformer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has another type; the message names it.</exception>
    /// <exception cref="ArgumentException">A code grid of another size than the VQ-VAE's, or a code outside its codebook; the message names the row.</exception>
    /// <exception cref="OperationCanceledException">The options' token fired.</exception>
    public CodePriorTransformer Fit(IDataView input)
    {
        _host.CheckValue(input, nameof(input));
        DeviceResolver.Resolve(_options.Training.Device);
        var label = InputColumnCheck.Require(input.Schema, _options.LabelColumnName, NumberDataViewType.Single, "Label");
        var codeColumn = InputColumnCheck.Require(input.Schema, _options.CodeIndicesColumnName,
            type => type is VectorDataViewType { IsKnownSize: true } v && v.ItemType == NumberDataViewType.Int32, "a known-size Vector<Int32>");
        var network = ModelOptions();
        var (absorption, codes) = ReadPairs(input, label, codeColumn, network.Cells, network.CodebookSize);
        var result = new CodePriorTrainer(network, _options.Training).Train(codes, absorption, _options.Progress, _options.CancellationToken);
        using (var channel = _host.Start(nameof(CodePriorEstimator)))
            channel.Info(FormattableString.Invariant(
                $"code prior: held-out {result.HeldOutLoss:F3} nats per masked cell ({result.UnlabelledHeldOutLoss:F3} without the label, uniform {result.UniformLoss:F3}) on {result.HeldOutGrids} grids"));
        var vqVae = VqVae;
        var codebook = CodePriorTransformer.Values(vqVae.Quantizer.Codebook);
        var stack = _options.Stack ?? (MicrostructureDatasetSource.StackJsonOf(label) is { } json ? OpticalStackFile.Parse(json) : null);
        var fitted = new CodePriorTransformer(_host, result.Prior, codebook, vqVae.Quantizer.CodeDimension, _options.Rounds, _options.OutputColumnName,
            _options.LabelColumnName, _options.InTrainingRangeColumnName, _options.SamplesPerTarget, _options.SamplingSeed, _options.Training.Device, stack)
        {
            HeldOut = new CodePriorHeldOutEvaluation(result.HeldOutGrids, result.HeldOutLoss, result.UnlabelledHeldOutLoss, result.UniformLoss),
        };
        Fitted = fitted;
        return fitted;
    }

    private static (float[] Absorption, int[] Codes) ReadPairs(IDataView input, DataViewSchema.Column label, DataViewSchema.Column codeColumn, int cells, int codebookSize)
    {
        int size = ((VectorDataViewType)codeColumn.Type).Size;
        if (size != cells)
            throw new ArgumentException($"Column '{codeColumn.Name}' holds {size} codes per row, but the VQ-VAE's grid has {cells} cells; the codes are another VQ-VAE's.");
        var absorption = new List<float>();
        var codes = new List<int>();
        using var cursor = input.GetRowCursor([label, codeColumn]);
        var labelGetter = cursor.GetGetter<float>(label);
        var codeGetter = cursor.GetGetter<VBuffer<int>>(codeColumn);
        float value = 0;
        VBuffer<int> vector = default;
        var dense = new int[cells];
        for (long row = 0; cursor.MoveNext(); row++)
        {
            labelGetter(ref value);
            codeGetter(ref vector);
            vector.CopyTo(dense);
            foreach (int code in dense)
                if (code < 0 || code >= codebookSize)
                    throw new ArgumentException($"Row {row} of column '{codeColumn.Name}' holds code {code}; the VQ-VAE's codebook has codes 0-{codebookSize - 1}.");
            absorption.Add(value);
            codes.AddRange(dense);
        }
        return (absorption.ToArray(), codes.ToArray());
    }

    // The codebook size and grid are the VQ-VAE's.
    private CodePriorOptions ModelOptions() => _options.Network with
    {
        CodebookSize = VqVae.Quantizer.CodebookSize, GridSize = VqVae.Options.LatentGridSize,
    };
}
