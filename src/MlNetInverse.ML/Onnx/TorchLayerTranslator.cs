using System.Globalization;
using MlNetInverse.Models.VqVae;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetInverse.ML.Onnx;

/// <summary>
/// Translates TorchSharp layers into ONNX nodes one by one, reading each layer's hyper-parameters from the module and
/// its weights from the module's parameters (the state_dict tensors): Conv2d (zero or circular padding),
/// ConvTranspose2d, the periodic models' PeriodicConvTranspose2d, Linear (as Gemm), ReLU, Sigmoid, Tanh and ELU. Anything else is refused by name, so an
/// architecture change fails the export loudly instead of writing a graph that computes something else.
/// </summary>
internal static class TorchLayerTranslator
{
    /// <summary>Appends every layer of <paramref name="sequential"/> to the graph after <paramref name="input"/>; returns the last value.</summary>
    /// <param name="graph">The graph being built.</param>
    /// <param name="sequential">The TorchSharp layers to translate, in order.</param>
    /// <param name="input">Name of the graph value the first layer reads.</param>
    /// <param name="prefix">The sequential's state_dict prefix, for messages and node names (e.g. "decoder").</param>
    /// <exception cref="NotSupportedException">A layer type or setting the export cannot translate; the message names the layer.</exception>
    public static string Sequential(OnnxGraphBuilder graph, Sequential sequential, string input, string prefix)
    {
        string value = input;
        foreach (var (name, layer) in sequential.named_children())
            value = Layer(graph, layer, value, $"{prefix}.{name}");
        return value;
    }

    /// <summary>Appends one layer.</summary>
    public static string Layer(OnnxGraphBuilder graph, nn.Module layer, string input, string path) => layer switch
    {
        ConvTranspose2d transposed => ConvTranspose(graph, transposed, input, path),
        PeriodicConvTranspose2d periodic => PeriodicConvTranspose(graph, periodic, input, path),
        Conv2d conv => Conv(graph, conv, input, path),
        Linear linear => Gemm(graph, linear, input, path),
        ReLU => graph.Node("Relu", [input]),
        Sigmoid => graph.Node("Sigmoid", [input]),
        Tanh => graph.Node("Tanh", [input]),
        ELU elu => graph.Node("Elu", [input], OnnxGraphBuilder.Float("alpha", (float)elu.alpha)),
        _ => throw new NotSupportedException(
            $"ONNX export: layer '{path}' is a {layer.GetType().Name}; the export translates Conv2d, ConvTranspose2d, PeriodicConvTranspose2d, Linear, ReLU, Sigmoid, Tanh and ELU."),
    };

    /// <summary>The weights of <paramref name="parameter"/> as float32 values (C order) and its shape.</summary>
    public static (float[] Values, long[] Shape) Weights(Tensor parameter)
    {
        using var cpu = parameter.detach().to_type(ScalarType.Float32).cpu().contiguous();
        return (cpu.data<float>().ToArray(), cpu.shape);
    }

    /// <summary>Gemm(x, W, b) with transB = 1: PyTorch's Linear stores W as [out, in].</summary>
    public static string Gemm(OnnxGraphBuilder graph, Linear linear, string input, string path)
    {
        var (w, wShape) = Weights(linear.weight!);
        var inputs = new List<string> { input, graph.Floats(path + ".weight", w, wShape) };
        if (linear.bias is { } bias)
        {
            var (b, bShape) = Weights(bias);
            inputs.Add(graph.Floats(path + ".bias", b, bShape));
        }
        return graph.Node("Gemm", inputs.ToArray(), OnnxGraphBuilder.Int("transB", 1));
    }

    private static string Conv(OnnxGraphBuilder graph, Conv2d conv, string input, string path)
    {
        long[] padding = Padding(conv, path);
        string value = input;
        if (conv.padding_mode == PaddingModes.Circular)
        {
            // ONNX Conv pads with zeros only; a periodic cell wraps: copy the opposite edges in first (Slice + Concat,
            // which every runtime supports, unlike Pad's "wrap" mode of opset 19).
            value = WrapPad(graph, value, axis: 2, padding[0]);
            value = WrapPad(graph, value, axis: 3, padding[1]);
            padding = [0, 0];
        }
        else if (conv.padding_mode != PaddingModes.Zeros)
        {
            throw new NotSupportedException($"ONNX export: layer '{path}' uses {conv.padding_mode} padding; the export translates zero and circular padding.");
        }
        return graph.Node("Conv", ConvInputs(graph, conv, value, path), ConvAttributes(conv, padding));
    }

    private static string ConvTranspose(OnnxGraphBuilder graph, ConvTranspose2d conv, string input, string path)
    {
        if (conv.padding_mode != PaddingModes.Zeros)
            throw new NotSupportedException($"ONNX export: layer '{path}' (ConvTranspose2d) uses {conv.padding_mode} padding; only zero padding exists for it.");
        var attributes = ConvAttributes(conv, Padding(conv, path)).ToList();
        var outputPadding = conv.output_padding ?? [0, 0];
        attributes.Add(OnnxGraphBuilder.Ints("output_padding", Pair(outputPadding)));
        return graph.Node("ConvTranspose", ConvInputs(graph, conv, input, path), attributes.ToArray());
    }

    // The unpadded transposed convolution, its overhanging lines folded onto the opposite edges, then the bias, as
    // PeriodicConvTranspose2d.forward does. Slices count from both ends, so the graph needs no static image size.
    private static string PeriodicConvTranspose(OnnxGraphBuilder graph, PeriodicConvTranspose2d conv, string input, string path)
    {
        var (w, wShape) = Weights(conv.Weight);
        const long k = PeriodicConvTranspose2d.KernelSize, s = PeriodicConvTranspose2d.Stride;
        string full = graph.Node("ConvTranspose", [input, graph.Floats(path + ".weight", w, wShape)],
            OnnxGraphBuilder.Ints("kernel_shape", k, k), OnnxGraphBuilder.Ints("strides", s, s), OnnxGraphBuilder.Ints("pads", 0, 0, 0, 0));
        string folded = Fold(graph, Fold(graph, full, axis: 2), axis: 3);
        var (b, bShape) = Weights(conv.Bias);
        return graph.Node("Add", [folded, graph.Floats(path + ".bias", b, [1, bShape[0], 1, 1])]);
    }

    /// <summary>Lines 1 .. n-2 of <paramref name="axis"/>, the last line added onto the first kept one and line 0 onto the last kept one.</summary>
    private static string Fold(OnnxGraphBuilder graph, string input, long axis)
    {
        string Lines(long start, long end) => graph.Node("Slice", [input, graph.Int64s("starts", start), graph.Int64s("ends", end), graph.Int64s("axes", axis)]);
        string first = graph.Node("Add", [Lines(1, 2), Lines(-1, long.MaxValue)]);
        string last = graph.Node("Add", [Lines(-2, -1), Lines(0, 1)]);
        return graph.Node("Concat", [first, Lines(2, -2), last], OnnxGraphBuilder.Int("axis", axis));
    }

    /// <summary>Input, weight (Conv: [out, in/g, kH, kW]; ConvTranspose: [in, out/g, kH, kW], as PyTorch stores them) and bias.</summary>
    private static string[] ConvInputs(OnnxGraphBuilder graph, Convolution conv, string input, string path)
    {
        var (w, wShape) = Weights(conv.weight!);
        var inputs = new List<string> { input, graph.Floats(path + ".weight", w, wShape) };
        if (conv.bias is { } bias)
        {
            var (b, bShape) = Weights(bias);
            inputs.Add(graph.Floats(path + ".bias", b, bShape));
        }
        return inputs.ToArray();
    }

    private static global::Onnx.AttributeProto[] ConvAttributes(Convolution conv, long[] padding) =>
    [
        OnnxGraphBuilder.Ints("kernel_shape", Pair(conv.kernel_size)),
        OnnxGraphBuilder.Ints("strides", Pair(conv.stride)),
        OnnxGraphBuilder.Ints("dilations", Pair(conv.dilation)),
        OnnxGraphBuilder.Ints("pads", padding[0], padding[1], padding[0], padding[1]),
        OnnxGraphBuilder.Int("group", conv.groups),
    ];

    /// <summary>Symmetric padding (H, W) of a layer built with explicit padding.</summary>
    private static long[] Padding(Convolution conv, string path)
    {
        if (conv.padding_type is { } type && type != TorchSharp.Padding.Valid)
            throw new NotSupportedException($"ONNX export: layer '{path}' uses padding '{type}'; give explicit padding sizes.");
        return conv.padding is { Length: > 0 } p ? Pair(p) : [0, 0];
    }

    private static long[] Pair(long[] values) => values.Length switch
    {
        1 => [values[0], values[0]],
        2 => [values[0], values[1]],
        _ => throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"ONNX export: expected 2-D convolution settings; got [{string.Join(", ", values)}].")),
    };

    /// <summary>Circular padding of <paramref name="pad"/> cells on both ends of <paramref name="axis"/>.</summary>
    private static string WrapPad(OnnxGraphBuilder graph, string input, long axis, long pad)
    {
        if (pad == 0) return input;
        string axes = graph.Int64s("axes", axis);
        string head = graph.Node("Slice", [input, graph.Int64s("starts", -pad), graph.Int64s("ends", long.MaxValue), axes]);
        string tail = graph.Node("Slice", [input, graph.Int64s("starts", 0), graph.Int64s("ends", pad), axes]);
        return graph.Node("Concat", [head, input, tail], OnnxGraphBuilder.Int("axis", axis));
    }
}
