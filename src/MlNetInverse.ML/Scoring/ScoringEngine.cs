namespace MlNetInverse.ML.Scoring;

/// <summary>Which runtime runs the generator's networks.</summary>
public enum ScoringEngine
{
    /// <summary>TorchSharp (libtorch), the model zip's own modules. The default.</summary>
    Torch,

    /// <summary>ONNX Runtime on the exported graphs: needs no libtorch; takes a model zip (exported in memory) or generator.onnx.</summary>
    Onnx,
}
