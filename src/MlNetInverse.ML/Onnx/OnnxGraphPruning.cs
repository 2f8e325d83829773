using Onnx;

namespace MlNetInverse.ML.Onnx;

/// <summary>
/// Cuts a serialized ONNX model down to the nodes some of its outputs need. ONNX Runtime runs every node of a session's
/// graph whichever outputs a call asks for, so images-only scoring through the generator graph paid for the surrogate
/// branch it then threw away.
/// </summary>
internal static class OnnxGraphPruning
{
    /// <summary>The model with only <paramref name="outputs"/> and the nodes and initializers they depend on.</summary>
    /// <exception cref="ArgumentException">An output the graph does not have.</exception>
    public static byte[] KeepOutputs(byte[] model, params string[] outputs)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        foreach (string output in outputs)
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
            if (!node.Output.Any(needed.Contains)) continue;
            kept.Add(node);
            foreach (string input in node.Input) needed.Add(input);
        }
        kept.Reverse();
        var keptInitializers = graph.Initializer.Where(t => needed.Contains(t.Name)).ToList();
        var keptOutputs = graph.Output.Where(o => outputs.Contains(o.Name)).ToList();
        graph.Node.Clear();
        graph.Node.AddRange(kept);
        graph.Initializer.Clear();
        graph.Initializer.AddRange(keptInitializers);
        graph.Output.Clear();
        graph.Output.AddRange(keptOutputs);
        return Google.Protobuf.MessageExtensions.ToByteArray(proto);
    }
}
