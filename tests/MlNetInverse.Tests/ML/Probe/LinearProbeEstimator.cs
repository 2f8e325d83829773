using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Persistence;
using MlNetInverse.ML.Schema;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.ML.Probe;

/// <summary>
/// Fits <see cref="LinearProbeTransformer"/>: a TorchSharp Linear layer trained by full-batch Adam on mean squared
/// error from a known-size Vector&lt;Single&gt; input to a Single or Vector&lt;Single&gt; label. Weights start at zero,
/// so a fit is deterministic for the same data and settings.
/// </summary>
internal sealed class LinearProbeEstimator : IEstimator<LinearProbeTransformer>
{
    private const string InputDescription = "a known-size Vector<Single>";
    private const string LabelDescription = "Single or a known-size Vector<Single>";

    private readonly IHost _host;
    private readonly string _outputColumnName;
    private readonly string _inputColumnName;
    private readonly string _labelColumnName;
    private readonly int _epochs;
    private readonly double _learningRate;

    /// <param name="env">The ML.NET environment (an MLContext).</param>
    /// <param name="outputColumnName">Column to write: Single for a Single label, else a vector of the label's size.</param>
    /// <param name="inputColumnName">Features: a known-size Vector&lt;Single&gt;.</param>
    /// <param name="labelColumnName">Target: Single or a known-size Vector&lt;Single&gt;.</param>
    /// <param name="epochs">Full-batch Adam steps. Default 300.</param>
    /// <param name="learningRate">Adam learning rate. Default 0.05.</param>
    public LinearProbeEstimator(IHostEnvironment env, string outputColumnName, string inputColumnName, string labelColumnName, int epochs = 300, double learningRate = 0.05)
    {
        _host = Contracts.CheckRef(env, nameof(env)).Register(nameof(LinearProbeEstimator));
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(learningRate);
        _outputColumnName = outputColumnName;
        _inputColumnName = inputColumnName;
        _labelColumnName = labelColumnName;
        _epochs = epochs;
        _learningRate = learningRate;
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        InputColumnCheck.Require(inputSchema, _inputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single);
        if (!inputSchema.TryFindColumn(_labelColumnName, out SchemaShape.Column label) || label.Kind == SchemaShape.Column.VectorKind.VariableVector)
            InputColumnCheck.Require(inputSchema, _labelColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, "Label");
        else
            InputColumnCheck.Require(inputSchema, _labelColumnName, label.Kind, NumberDataViewType.Single, "Label");
        var columns = inputSchema.ToDictionary(c => c.Name);
        columns[_outputColumnName] = new SchemaShape.Column(_outputColumnName, label.Kind, NumberDataViewType.Single, false);
        return new SchemaShape(columns.Values);
    }

    public LinearProbeTransformer Fit(IDataView input)
    {
        _host.CheckValue(input, nameof(input));
        var inputColumn = InputColumnCheck.Require(input.Schema, _inputColumnName, IsKnownSizeSingleVector, InputDescription);
        var labelColumn = InputColumnCheck.Require(input.Schema, _labelColumnName,
            t => t == NumberDataViewType.Single || IsKnownSizeSingleVector(t), LabelDescription, "Label");
        int inputSize = ((VectorDataViewType)inputColumn.Type).Size;
        int outputSize = labelColumn.Type is VectorDataViewType labelVector ? labelVector.Size : 1;

        var (features, labels) = ReadRows(input, inputColumn, labelColumn, inputSize, outputSize);
        int rows = labels.Length / outputSize;
        if (rows == 0) throw new InvalidOperationException($"Cannot fit the {LinearProbeTransformer.Component} on an empty data view.");

        var linear = LinearProbeTransformer.CreateModel(inputSize, outputSize);
        Train(linear, features, labels, rows, inputSize, outputSize);
        return new LinearProbeTransformer(_host, _outputColumnName, labelColumn.Type, _inputColumnName, inputColumn.Type, linear);
    }

    private void Train(nn.Module<Tensor, Tensor> linear, float[] features, float[] labels, int rows, int inputSize, int outputSize)
    {
        using (torch.no_grad())
            foreach (var parameter in linear.parameters()) parameter.zero_();
        using var optimizer = torch.optim.Adam(linear.parameters(), lr: _learningRate);
        using var x = torch.tensor(features, [rows, inputSize]);
        using var y = torch.tensor(labels, [rows, outputSize]);
        linear.train();
        for (int epoch = 0; epoch < _epochs; epoch++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(linear.forward(x), y);
            loss.Backpropagate();
            optimizer.step();
        }
        linear.eval();
    }

    private static (float[] Features, float[] Labels) ReadRows(IDataView input, DataViewSchema.Column inputColumn, DataViewSchema.Column labelColumn, int inputSize, int outputSize)
    {
        var features = new List<float>();
        var labels = new List<float>();
        using var cursor = input.GetRowCursor([inputColumn, labelColumn]);
        var featureGetter = cursor.GetGetter<VBuffer<float>>(inputColumn);
        VBuffer<float> featureValue = default;
        var labelValues = new float[outputSize];
        Action readLabel;
        if (outputSize == 1 && labelColumn.Type == NumberDataViewType.Single)
        {
            var getter = cursor.GetGetter<float>(labelColumn);
            readLabel = () => getter(ref labelValues[0]);
        }
        else
        {
            var getter = cursor.GetGetter<VBuffer<float>>(labelColumn);
            VBuffer<float> labelValue = default;
            readLabel = () => { getter(ref labelValue); labelValue.CopyTo(labelValues); };
        }
        var dense = new float[inputSize];
        while (cursor.MoveNext())
        {
            featureGetter(ref featureValue);
            featureValue.CopyTo(dense);
            features.AddRange(dense);
            readLabel();
            labels.AddRange(labelValues);
        }
        return (features.ToArray(), labels.ToArray());
    }

    private static bool IsKnownSizeSingleVector(DataViewType type) =>
        type is VectorDataViewType { IsKnownSize: true } vector && vector.ItemType == NumberDataViewType.Single;
}
