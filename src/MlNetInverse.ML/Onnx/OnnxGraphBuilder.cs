using Google.Protobuf;
using Onnx;

namespace MlNetInverse.ML.Onnx;

/// <summary>
/// Builds one ONNX graph with OnnxSharp's protobuf message classes: float and int64 initializers (weights stored as
/// little-endian raw data), nodes with unique value names, and the graph's typed inputs and outputs. The opset is fixed
/// (<see cref="Opset"/>) so every operator's attribute/input form below is the one that opset defines.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>ONNX opset the graphs are written for (ReduceMean takes axes as an attribute, Squeeze/Slice as inputs).</summary>
    public const int Opset = 17;

    /// <summary>ONNX IR version 8 (the one that introduced opset 17 support).</summary>
    public const long IrVersion = 8;

    private readonly GraphProto _graph;
    private int _next;

    public OnnxGraphBuilder(string name) => _graph = new GraphProto { Name = name };

    /// <summary>A fresh value name with <paramref name="prefix"/>.</summary>
    public string Fresh(string prefix) => $"{prefix}_{_next++}";

    /// <summary>Adds a float32 initializer of shape <paramref name="dims"/> and returns its name.</summary>
    public string Floats(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        CheckCount(name, values.Length, dims);
        var tensor = new TensorProto { Name = Fresh(name), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        var bytes = new byte[values.Length * sizeof(float)];
        // RawData is little-endian by the ONNX spec; this library only runs on little-endian machines (x64, arm64).
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(bytes);
        tensor.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A float32 scalar initializer (shape []).</summary>
    public string Scalar(string name, float value) => Floats(name, [value]);

    /// <summary>Adds an int64 initializer (shapes, axes, slice bounds) and returns its name.</summary>
    public string Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = Fresh(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node; its single output gets a fresh name, returned.</summary>
    public string Node(string opType, string[] inputs, params AttributeProto[] attributes) =>
        NodeWithOutputs(opType, inputs, [Fresh(opType.ToLowerInvariant())], attributes)[0];

    /// <summary>Adds a node whose outputs have the given names (graph outputs keep their public names).</summary>
    public string[] NodeWithOutputs(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Fresh(opType) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return outputs;
    }

    /// <summary>Renames the output of the last node that wrote <paramref name="value"/> to <paramref name="publicName"/>.</summary>
    public void Rename(string value, string publicName)
    {
        foreach (var node in _graph.Node)
            for (int i = 0; i < node.Output.Count; i++)
                if (node.Output[i] == value) node.Output[i] = publicName;
        foreach (var node in _graph.Node)
            for (int i = 0; i < node.Input.Count; i++)
                if (node.Input[i] == value) node.Input[i] = publicName;
    }

    /// <summary>Declares a graph input; a dimension of -1 is the symbolic batch size "batch".</summary>
    public void Input(string name, TensorProto.Types.DataType type, params long[] dims) => _graph.Input.Add(ValueInfo(name, type, dims));

    /// <summary>Declares a graph output; a dimension of -1 is the symbolic batch size "batch".</summary>
    public void Output(string name, TensorProto.Types.DataType type, params long[] dims) => _graph.Output.Add(ValueInfo(name, type, dims));

    /// <summary>The finished model: the graph, opset <see cref="Opset"/> of the default domain and the producer.</summary>
    public ModelProto ToModel(string producerVersion, string documentation)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "MlNetInverse",
            ProducerVersion = producerVersion,
            DocString = documentation,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long dim in dims)
            shape.Dim.Add(dim < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "batch" } : new TensorShapeProto.Types.Dimension { DimValue = dim });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static void CheckCount(string name, int count, long[] dims)
    {
        long expected = 1;
        foreach (long d in dims) expected *= d;
        if (expected != count) throw new ArgumentException($"Initializer '{name}' has {count} values but shape [{string.Join(", ", dims)}] needs {expected}.");
    }
}
