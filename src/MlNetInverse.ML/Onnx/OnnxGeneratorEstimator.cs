using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetInverse.ML.Schema;

namespace MlNetInverse.ML.Onnx;

/// <summary>
/// The exported generator (generator.onnx, generator.mdn.onnx, generator.json) as an estimator: nothing is learned;
/// <see cref="Fit"/> opens the graphs (hashes checked against the manifest) and returns an
/// <see cref="OnnxGeneratorTransformer"/>, which gives the model zip's output without loading libtorch.
/// </summary>
public sealed class OnnxGeneratorEstimator : IEstimator<OnnxGeneratorTransformer>
{
    private readonly IHost _host;
    private readonly OnnxGeneratorOptions _options;

    internal OnnxGeneratorEstimator(IHostEnvironment env, OnnxGeneratorOptions options)
    {
        _host = Contracts.CheckRef(env, nameof(env)).Register(nameof(OnnxGeneratorEstimator));
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ModelPath, nameof(options.ModelPath));
        string[] outputs = [options.OutputColumnName, options.LatentsColumnName, options.PredictedAbsorptionColumnName, options.InTrainingRangeColumnName];
        foreach (var name in outputs.Append(options.TargetColumnName)) ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(options));
        if (outputs.Distinct().Count() != outputs.Length)
            throw new ArgumentException($"OnnxGeneratorOptions output columns ({string.Join(", ", outputs)}) need four different names.", nameof(options));
        if (options.Threads < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Threads, $"OnnxGeneratorOptions.Threads must be at least 1; got {options.Threads}.");
        _options = options;
    }

    /// <summary>Checks the target column (Single) and adds the four output columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        InputColumnCheck.Require(inputSchema, _options.TargetColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, "Target");
        var columns = inputSchema.ToDictionary(c => c.Name);
        void Add(string name, SchemaShape.Column.VectorKind kind, DataViewType type) => columns[name] = new SchemaShape.Column(name, kind, type, false);
        Add(_options.LatentsColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single);
        Add(_options.InTrainingRangeColumnName, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance);
        Add(_options.OutputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single);
        Add(_options.PredictedAbsorptionColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single);
        return new SchemaShape(columns.Values);
    }

    /// <summary>Opens the exported generator; reads no rows.</summary>
    /// <exception cref="FileNotFoundException">A file of the export is missing.</exception>
    /// <exception cref="InvalidDataException">A broken export (manifest, hashes); the message names the file.</exception>
    public OnnxGeneratorTransformer Fit(IDataView input)
    {
        _host.CheckValue(input, nameof(input));
        InputColumnCheck.Require(input.Schema, _options.TargetColumnName, NumberDataViewType.Single, "Target");
        return OnnxGeneratorTransformer.Open(_host, _options);
    }
}
