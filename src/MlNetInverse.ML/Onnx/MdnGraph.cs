using MlNetInverse.Models.Mdn;
using Onnx;
using TorchSharp.Modules;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MlNetInverse.ML.Onnx;

/// <summary>
/// The MDN graph: conditioning absorption [batch, 1] → the network's mixture in raw latent units (log weights,
/// means, standard deviations), exactly <see cref="MixtureDensityNetwork.Mixture"/>. Drawing from the mixture stays
/// in .NET (the seeded per-target streams of the torch path), so both engines draw the same latents from the same
/// mixture; ONNX has no seeded per-row random source that could reproduce them.
/// </summary>
internal static class MdnGraph
{
    public static ModelProto Build(MixtureDensityNetwork network, string producerVersion)
    {
        var options = network.Options;
        int k = options.Components, l = options.LatentDimension;
        var graph = new OnnxGraphBuilder("mlnet_inverse_mdn");
        graph.Input(OnnxGeneratorNames.Condition, DataType.Float, -1, 1);

        var centred = graph.Node("Sub", [OnnxGeneratorNames.Condition, GeneratorGraph.Buffer(graph, network, "absorption_mean")]);
        var normalized = graph.Node("Div", [centred, GeneratorGraph.Buffer(graph, network, "absorption_std")]);
        var hidden = TorchLayerTranslator.Sequential(graph, GeneratorGraph.Child<Sequential>(network, "trunk"), normalized, "trunk");

        var logits = TorchLayerTranslator.Gemm(graph, GeneratorGraph.Child<Linear>(network, "weights"), hidden, "weights");
        graph.NodeWithOutputs("LogSoftmax", [logits], [OnnxGeneratorNames.LogWeights], OnnxGraphBuilder.Int("axis", 1));

        var mixtureShape = graph.Int64s("shape", -1, k, l);
        var latentStd = GeneratorGraph.Buffer(graph, network, "latent_std");
        var means = graph.Node("Reshape", [TorchLayerTranslator.Gemm(graph, GeneratorGraph.Child<Linear>(network, "means"), hidden, "means"), mixtureShape]);
        var scaledMeans = graph.Node("Mul", [means, latentStd]);
        graph.NodeWithOutputs("Add", [scaledMeans, GeneratorGraph.Buffer(graph, network, "latent_mean")], [OnnxGeneratorNames.Means]);

        // sigma = max(ELU(x) + 1 + eps, floor), the network's positive deviation, then rescaled to raw units.
        var raw = TorchLayerTranslator.Gemm(graph, GeneratorGraph.Child<Linear>(network, "sigmas"), hidden, "sigmas");
        var elu = graph.Node("Elu", [raw], OnnxGraphBuilder.Float("alpha", 1f));
        var shifted = graph.Node("Add", [elu, graph.Scalar("one_plus_epsilon", (float)(1 + MixtureDensityNetwork.SigmaEpsilon))]);
        var floored = graph.Node("Max", [shifted, graph.Scalar("sigma_floor", (float)options.SigmaFloor)]);
        var sigmas = graph.Node("Reshape", [floored, mixtureShape]);
        graph.NodeWithOutputs("Mul", [sigmas, latentStd], [OnnxGeneratorNames.Sigmas]);

        graph.Output(OnnxGeneratorNames.LogWeights, DataType.Float, -1, k);
        graph.Output(OnnxGeneratorNames.Means, DataType.Float, -1, k, l);
        graph.Output(OnnxGeneratorNames.Sigmas, DataType.Float, -1, k, l);
        if (options.CorrelatedNoise)
        {
            // A constant output: the engines read it once and correlate the normals in .NET, as the torch path does.
            graph.NodeWithOutputs("Identity", [GeneratorGraph.Buffer(graph, network, "noise_factor")], [OnnxGeneratorNames.NoiseFactor]);
            var noise = network.NoiseFactors()!;
            if (noise.Count == 1) graph.Output(OnnxGeneratorNames.NoiseFactor, DataType.Float, l, l);
            else
            {
                // Band centres are float32 values (MdnResidualCorrelation rounds them), so the graph holds them exactly.
                graph.Output(OnnxGeneratorNames.NoiseFactor, DataType.Float, noise.Count, l, l);
                var centres = noise.Centres.Select(c => (float)c).ToArray();
                graph.NodeWithOutputs("Identity", [graph.Floats("noise_centres", centres, centres.Length)], [OnnxGeneratorNames.NoiseCentres]);
                graph.Output(OnnxGeneratorNames.NoiseCentres, DataType.Float, noise.Count);
            }
        }
        return graph.ToModel(producerVersion,
            $"MlNetInverse MDN: conditioning absorption [batch, 1] -> mixture of {k} diagonal Gaussians over {l} latent values (log weights, means, standard deviations in raw latent units).");
    }
}
