using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Morphology;
using MlNetInverse.Physics.Runtime;
using Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MlNetInverse.ML.Onnx;

/// <summary>
/// The decoder graph: raw latents [batch, L] → nearest codebook vector per grid cell (the VQ-VAE's
/// DecodeContinuous: argmin of ||e||² − 2 x·e, then a codebook Gather) → the decoder's layers → probabilities;
/// binarized at 0.5, or at the quantile giving the volume fraction the VQ-VAE's readout takes from the raw latents, without
/// isolated pixels (DesignBinarization.WithoutSpeckle) → images; the surrogate CNN on the images
/// output → absorption. The same computation as the microstructure decoder transformer, layer by layer, except the lake
/// filling: connected regions have no ONNX operator, so the ONNX engine fills the images' lakes on the host and runs the
/// surrogate part of this graph (cut at the images output) on the filled designs.
/// </summary>
internal static class GeneratorGraph
{
    public static ModelProto Build(VqVaeModel vqVae, AbsorptionSurrogateModel surrogate, string producerVersion)
    {
        var options = vqVae.Options;
        int d = options.CodeDimension, g = options.LatentGridSize, s = options.ImageSize, k = options.CodebookSize;
        if (surrogate.Options.ImageSize != s)
            throw new ArgumentException($"The surrogate takes {surrogate.Options.ImageSize}x{surrogate.Options.ImageSize} images but the decoder makes {s}x{s}.", nameof(surrogate));
        var graph = new OnnxGraphBuilder("mlnet_inverse_generator");
        graph.Input(OnnxGeneratorNames.Latents, DataType.Float, -1, (long)d * g * g);

        var grid = graph.Node("Reshape", [OnnxGeneratorNames.Latents, graph.Int64s("shape", -1, d, g, g)]);
        var cells = graph.Node("Transpose", [grid], OnnxGraphBuilder.Ints("perm", 0, 2, 3, 1));
        var flat = graph.Node("Reshape", [cells, graph.Int64s("shape", -1, d)]);

        // The codebook and its squared norms exactly as the quantizer computes them (float32, in torch).
        float[] codebook, codebookT, norms;
        using (var scope = NewDisposeScope())
        {
            var book = vqVae.Codebook.detach().cpu().to_type(ScalarType.Float32).contiguous();
            codebook = book.data<float>().ToArray();
            codebookT = book.t().contiguous().data<float>().ToArray();
            norms = book.Squared().sum(1L).contiguous().data<float>().ToArray();
        }
        var scores = graph.Node("Gemm", [flat, graph.Floats("codebook_t", codebookT, d, k), graph.Floats("codebook_norms", norms, 1, k)],
            OnnxGraphBuilder.Float("alpha", -2f), OnnxGraphBuilder.Float("beta", 1f));
        var indices = graph.Node("ArgMin", [scores], OnnxGraphBuilder.Int("axis", 1), OnnxGraphBuilder.Int("keepdims", 0));
        var vectors = graph.Node("Gather", [graph.Floats("codebook", codebook, k, d), indices], OnnxGraphBuilder.Int("axis", 0));
        var quantizedCells = graph.Node("Reshape", [vectors, graph.Int64s("shape", -1, g, g, d)]);
        var quantized = graph.Node("Transpose", [quantizedCells], OnnxGraphBuilder.Ints("perm", 0, 3, 1, 2));

        var decoded = TorchLayerTranslator.Sequential(graph, Child<Sequential>(vqVae, "decoder"), quantized, "decoder");
        var imageShape = graph.Int64s("shape", -1, (long)s * s);
        graph.NodeWithOutputs("Reshape", [decoded, imageShape], [OnnxGeneratorNames.Probabilities]);

        var materialA = vqVae.VolumeFractionReadout is { } readout
            ? MostProbable(graph, readout, graph.Node("Reshape", [quantized, graph.Int64s("code_latent_shape", -1, (long)d * g * g)]), decoded, s)
            : graph.Node("Greater", [decoded, graph.Scalar("threshold", (float)DesignBinarization.Threshold)]);
        var thresholded = graph.Node("Cast", [materialA], OnnxGraphBuilder.Int("to", (long)DataType.Float));
        var binary = RemoveIsolatedPixels(graph, thresholded, s);
        graph.NodeWithOutputs("Reshape", [binary, imageShape], [OnnxGeneratorNames.Images]);

        // The surrogate reads the images output, not the tensor before it, so the graph can be cut there (see OnnxGraphPruning.FromInput).
        var designs = graph.Node("Reshape", [OnnxGeneratorNames.Images, graph.Int64s("design_shape", -1, 1, s, s)]);
        var absorption = Surrogate(graph, surrogate, designs);
        graph.NodeWithOutputs("Identity", [absorption], [OnnxGeneratorNames.Absorption]);

        graph.Output(OnnxGeneratorNames.Probabilities, DataType.Float, -1, (long)s * s);
        if (vqVae.VolumeFractionReadout is not null) graph.Output(OnnxGeneratorNames.PixelCounts, DataType.Float, -1, 1);
        graph.Output(OnnxGeneratorNames.Images, DataType.Float, -1, (long)s * s);
        graph.Output(OnnxGeneratorNames.Absorption, DataType.Float, -1, 1);
        return graph.ToModel(producerVersion,
            $"MlNetInverse generator: latents [batch, {d * g * g}] (D={d}, G={g}) -> nearest of {k} codes -> decoder -> {s}x{s} probabilities, binarized images ({(vqVae.VolumeFractionReadout is null ? "> 0.5" : "the most probable round(v*S*S) pixels, v read from the snapped codes")}, no isolated pixels) and the surrogate's absorption of those images. Designs: fill the images' B regions under {LakeFilling.SmallestLake} pixels other than the largest, then run the surrogate part (from 'images') on them.");
    }

    /// <summary>
    /// DesignBinarization's threshold at a volume fraction: the readout (MatMul on the snapped codes' latents, clamped to [0, 1])
    /// gives k = round(v*S*S) clamped to [1, S*S] per design, TopK sorts its S*S probabilities, GatherElements takes the
    /// k-th largest and the pixels at or above it are material A [batch, 1, S, S] (bool).
    /// </summary>
    private static string MostProbable(OnnxGraphBuilder graph, VolumeFractionReadout readout, string codeLatents, string decoded, int size)
    {
        long pixels = (long)size * size;
        // In float64 like VolumeFractionReadout.Read, so both engines take the same k.
        string Double(string value) => graph.Node("Cast", [value], OnnxGraphBuilder.Int("to", (long)DataType.Double));
        var weights = Double(graph.Floats("volume_fraction_weights", [.. readout.Weights], readout.LatentLength, 1));
        var read = graph.Node("Add", [graph.Node("MatMul", [Double(codeLatents), weights]), Double(graph.Scalar("volume_fraction_bias", readout.Bias))]);
        var volumeFraction = graph.Node("Cast", [graph.Node("Clip", [read, Double(graph.Scalar("volume_fraction_min", 0f)), Double(graph.Scalar("volume_fraction_max", 1f))])],
            OnnxGraphBuilder.Int("to", (long)DataType.Float));
        var count = graph.Node("Clip", [graph.Node("Round", [graph.Node("Mul", [volumeFraction, graph.Scalar("pixels", (float)pixels)])]),
            graph.Scalar("count_min", 1f), graph.Scalar("count_max", (float)pixels)]);
        // Also an output: the ONNX engine cuts the graph there and selects on the host, where TopK over S*S costs more than decoding.
        graph.NodeWithOutputs("Identity", [count], [OnnxGeneratorNames.PixelCounts]);
        var index = graph.Node("Cast", [graph.Node("Sub", [count, graph.Scalar("first", 1f)])], OnnxGraphBuilder.Int("to", (long)DataType.Int64));
        var flat = graph.Node("Reshape", [decoded, graph.Int64s("quantile_shape", -1, pixels)]);
        var sorted = graph.NodeWithOutputs("TopK", [flat, graph.Int64s("all_pixels", pixels)], [graph.Fresh("sorted"), graph.Fresh("order")],
            OnnxGraphBuilder.Int("axis", 1), OnnxGraphBuilder.Int("largest", 1), OnnxGraphBuilder.Int("sorted", 1))[0];
        var cut = graph.Node("GatherElements", [sorted, index], OnnxGraphBuilder.Int("axis", 1));
        var chosen = graph.Node("GreaterOrEqual", [flat, cut]);
        return graph.Node("Reshape", [chosen, graph.Int64s("chosen_shape", -1, 1, size, size)]);
    }

    /// <summary>
    /// DesignBinarization's speckle removal on [batch, 1, S, S] 0/1 maps: isolated 1s become 0, then isolated 0s become
    /// 1, the neighbour sums wrapping across the cell edge (a roll is two slices concatenated).
    /// </summary>
    internal static string RemoveIsolatedPixels(OnnxGraphBuilder graph, string binary, int size)
    {
        var isolatedA = graph.Node("Mul", [binary, Indicator(graph, NeighbourSum(graph, binary, size), 0f)]);
        var withoutA = graph.Node("Sub", [binary, isolatedA]);
        var phaseB = graph.Node("Sub", [graph.Scalar("one", 1f), withoutA]);
        var isolatedB = graph.Node("Mul", [phaseB, Indicator(graph, NeighbourSum(graph, withoutA, size), 4f)]);
        return graph.Node("Add", [withoutA, isolatedB]);
    }

    private static string Indicator(OnnxGraphBuilder graph, string values, float equalTo) =>
        graph.Node("Cast", [graph.Node("Equal", [values, graph.Scalar("neighbours", equalTo)])], OnnxGraphBuilder.Int("to", (long)DataType.Float));

    private static string NeighbourSum(OnnxGraphBuilder graph, string x, int size)
    {
        string Roll(long axis, bool forward)
        {
            // forward: out[i] = x[i - 1] (torch.roll by +1); else out[i] = x[i + 1].
            long cut = forward ? size - 1 : 1;
            var head = graph.Node("Slice", [x, graph.Int64s("starts", cut), graph.Int64s("ends", size), graph.Int64s("axes", axis)]);
            var tail = graph.Node("Slice", [x, graph.Int64s("starts", 0), graph.Int64s("ends", cut), graph.Int64s("axes", axis)]);
            return graph.Node("Concat", [head, tail], OnnxGraphBuilder.Int("axis", axis));
        }
        var vertical = graph.Node("Add", [Roll(2, true), Roll(2, false)]);
        var horizontal = graph.Node("Add", [Roll(3, true), Roll(3, false)]);
        return graph.Node("Add", [vertical, horizontal]);
    }

    /// <summary>stage1..3 with their spatial means, the volume fraction, the head, then the label scale.</summary>
    private static string Surrogate(OnnxGraphBuilder graph, AbsorptionSurrogateModel surrogate, string images)
    {
        var fine = TorchLayerTranslator.Sequential(graph, Child<Sequential>(surrogate, "stage1"), images, "stage1");
        var middle = TorchLayerTranslator.Sequential(graph, Child<Sequential>(surrogate, "stage2"), fine, "stage2");
        var coarse = TorchLayerTranslator.Sequential(graph, Child<Sequential>(surrogate, "stage3"), middle, "stage3");
        string SpatialMean(string x) => graph.Node("ReduceMean", [x], OnnxGraphBuilder.Ints("axes", 2, 3), OnnxGraphBuilder.Int("keepdims", 0));
        var volumeFraction = graph.Node("ReduceMean", [images], OnnxGraphBuilder.Ints("axes", 1, 2, 3), OnnxGraphBuilder.Int("keepdims", 1));
        var volumeColumn = graph.Node("Reshape", [volumeFraction, graph.Int64s("shape", -1, 1)]);
        string[] parts = [SpatialMean(fine), SpatialMean(middle), SpatialMean(coarse), volumeColumn];
        if (surrogate.Spectrum is { } spectrum) parts = [.. parts, SpectralShells(graph, spectrum, images)];
        var summary = graph.Node("Concat", parts, OnnxGraphBuilder.Int("axis", 1));
        var standardized = TorchLayerTranslator.Sequential(graph, Child<Sequential>(surrogate, "head"), summary, "head");
        var scaled = graph.Node("Mul", [standardized, Buffer(graph, surrogate, "label_std")]);
        return graph.Node("Add", [scaled, Buffer(graph, surrogate, "label_mean")]);
    }

    /// <summary>The surrogate's Fourier shell powers: flatten, MatMul by the basis, square, MatMul by the shell sum.</summary>
    private static string SpectralShells(OnnxGraphBuilder graph, Models.Surrogate.SpectralShells spectrum, string images)
    {
        int pixels = spectrum.ImageSize * spectrum.ImageSize, columns = 2 * spectrum.Wavevectors.Count;
        var flat = graph.Node("Reshape", [images, graph.Int64s("spectral_flat_shape", -1, pixels)]);
        var components = graph.Node("MatMul", [flat, graph.Floats("spectral_basis", spectrum.BasisValues, pixels, columns)]);
        var power = graph.Node("Mul", [components, components]);
        return graph.Node("MatMul", [power, graph.Floats("spectral_shell_sum", spectrum.ShellSumValues, columns, spectrum.Shells.Count)]);
    }

    /// <summary>The submodule registered as <paramref name="name"/> (its state_dict prefix).</summary>
    internal static T Child<T>(nn.Module module, string name) where T : nn.Module =>
        module.named_children().FirstOrDefault(c => c.name == name).module as T
        ?? throw new NotSupportedException($"ONNX export: {module.GetType().Name} has no {typeof(T).Name} '{name}'; the architecture changed and the export needs updating.");

    /// <summary>The buffer registered as <paramref name="name"/>, as a float32 initializer of its own shape.</summary>
    internal static string Buffer(OnnxGraphBuilder graph, nn.Module module, string name)
    {
        var buffer = module.named_buffers(recurse: false).FirstOrDefault(b => b.name == name).buffer
            ?? throw new NotSupportedException($"ONNX export: {module.GetType().Name} has no buffer '{name}'; the architecture changed and the export needs updating.");
        var (values, shape) = TorchLayerTranslator.Weights(buffer);
        return graph.Floats(name, values, shape);
    }
}
