using Onnx;

namespace MlNetInverse.ML.Onnx;

/// <summary>
/// Cuts a serialized ONNX model down to the nodes some of its outputs need. ONNX Runtime runs every node of a session's
/// graph whichever outputs a call asks for, so images-only scoring through the generator graph paid for the surrogate
/// branch it then threw away; and the surrogate runs on designs whose lakes the host filled after the graph.
/// </summary>
internal static class OnnxGraphPruning
{
    /// <summary>The model with only <paramref name="outputs"/> and the nodes and initializers they depend on.</summary>
    /// <exception cref="ArgumentException">An output the graph does not have.</exception>
    public static byte[] KeepOutputs(byte[] model, params string[] outputs) => Cut(model, null, outputs);

    /// <summary>
    /// The part of the model from its output <paramref name="input"/>, which becomes the graph's only input (same type and
    /// shape), to <paramref name="outputs"/>: the generator's surrogate on designs the host changed after the graph.
    /// </summary>
    /// <exception cref="ArgumentException">An output the graph does not have, or outputs that need more than <paramref name="input"/>.</exception>
    public static byte[] FromInput(byte[] model, string input, params string[] outputs) => Cut(model, input, outputs);

    private static byte[] Cut(byte[] model, string? input, string[] outputs)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        foreach (string output in outputs.Append(input).OfType<string>())
        {
            if (!graph.Output.Any(o => o.Name == output))
                throw new ArgumentException($"The ONNX graph has no output '{output}'; it has {string.Join(", ", graph.Output.Select(o => o.Name))}.", nameof(outputs));
        }
        var needed = new HashSet<string>(outputs, StringComparer.Ordinal);
        var kept = new List<NodeProto>();
        // Nodes are stored in topological order: walking backwards sees every consumer before its producers.
        for (int i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (!node.Output.Any(o => needed.Contains(o) && o != input)) continue;
            kept.Add(node);
            foreach (string name in node.Input) needed.Add(name);
        }
        kept.Reverse();
        var keptInitializers = graph.Initializer.Where(t => needed.Contains(t.Name)).ToList();
        var keptOutputs = graph.Output.Where(o => outputs.Contains(o.Name)).ToList();
        if (input is not null)
        {
            var inputInfo = graph.Output.Single(o => o.Name == input).Clone();
            var unfed = graph.Input.Where(i => needed.Contains(i.Name)).Select(i => i.Name).ToList();
            if (unfed.Count > 0)
                throw new ArgumentException($"Outputs {string.Join(", ", outputs)} need the graph input(s) {string.Join(", ", unfed)}, not only '{input}'.", nameof(outputs));
            graph.Input.Clear();
            graph.Input.Add(inputInfo);
        }
        graph.Node.Clear();
        graph.Node.AddRange(kept);
        graph.Initializer.Clear();
        graph.Initializer.AddRange(keptInitializers);
        graph.Output.Clear();
        graph.Output.AddRange(keptOutputs);
        return Google.Protobuf.MessageExtensions.ToByteArray(proto);
    }
}
