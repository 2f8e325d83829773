using MlNetInverse.ML.Data;
using MlNetInverse.ML.Generation;
using MlNetInverse.Models.Devices;

namespace MlNetInverse.ML.Onnx;

/// <summary>Settings of <see cref="InverseCatalog.ApplyOnnxGenerator(OnnxGeneratorOptions)"/>.</summary>
public sealed class OnnxGeneratorOptions
{
    /// <summary>The exported generator: its decoder graph (generator.onnx) or its manifest (generator.json). Required.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Target absorption column to read (Single). Default "Absorption".</summary>
    public string TargetColumnName { get; set; } = MicrostructureColumns.Absorption;

    /// <summary>Generated designs column to write (Vector&lt;Single, N, S, S&gt;). Default "GeneratedImages".</summary>
    public string OutputColumnName { get; set; } = GenerationColumns.GeneratedImages;

    /// <summary>Latents of the designs to write (Vector&lt;Single, N, L&gt;, aligned with the images). Default "GeneratedLatents".</summary>
    public string LatentsColumnName { get; set; } = GenerationColumns.GeneratedLatents;

    /// <summary>Surrogate absorption of each design to write (Vector&lt;Single, N&gt;). Default "PredictedAbsorption".</summary>
    public string PredictedAbsorptionColumnName { get; set; } = GenerationColumns.PredictedAbsorption;

    /// <summary>Whether each target lies in the MDN's training range (Boolean). Default "InTrainingRange".</summary>
    public string InTrainingRangeColumnName { get; set; } = GenerationColumns.InTrainingRange;

    /// <summary>ONNX Runtime intra-op threads (threads). Default 1.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>Cpu; Cuda (needs the CUDA build of ONNX Runtime); Auto (CUDA when it starts, else the CPU). Default Cpu.</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Cpu;
}
