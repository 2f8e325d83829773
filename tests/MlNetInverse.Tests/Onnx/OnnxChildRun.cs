using System.Globalization;
using Microsoft.ML;
using MlNetInverse.ML;
using MlNetInverse.ML.Generation;
using MlNetInverse.Tests.ML;

namespace MlNetInverse.Tests.Onnx;

/// <summary>
/// Runs a generator in a brand-new process (this test assembly through its startup hook, as
/// <see cref="FreshProcessModelRun"/> does) and reports its output bits and whether any libtorch library got mapped
/// into the process (/proc/self/maps), so a test can prove that a code path never loads libtorch.
/// </summary>
internal static class OnnxChildRun
{
    public const string ModelVariable = "MLNET_INVERSE_CHILD_GENERATOR";
    public const string OutputVariable = "MLNET_INVERSE_CHILD_GENERATOR_OUTPUT";
    public const string TargetsVariable = "MLNET_INVERSE_CHILD_GENERATOR_TARGETS";
    public const string LibTorchLine = "libtorch mapped: ";

    /// <summary>
    /// Generates for <paramref name="targets"/> in a child process with the ONNX export at <paramref name="modelPath"/>
    /// (ApplyOnnxGenerator) or, for a .zip, the model zip (mlContext.Model.Load); returns the image and predicted
    /// absorption bits per row and, last, whether libtorch was mapped.
    /// </summary>
    public static (string[] Lines, bool LibTorchMapped) Run(string modelPath, string outputPath, float[] targets)
    {
        Infrastructure.TestAssemblyChild.Run(new Dictionary<string, string>
        {
            [ModelVariable] = modelPath,
            [OutputVariable] = outputPath,
            [TargetsVariable] = string.Join(",", targets.Select(t => t.ToString("R", CultureInfo.InvariantCulture))),
        }, "the child generator run");
        var lines = File.ReadAllLines(outputPath);
        return (lines[..^1], bool.Parse(lines[^1][LibTorchLine.Length..]));
    }

    /// <summary>The child's work.</summary>
    internal static void RunChild(string modelPath, string outputPath)
    {
        var mlContext = new MLContext(seed: 0);
        var values = Environment.GetEnvironmentVariable(TargetsVariable)!.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture));
        var targets = mlContext.Data.LoadFromEnumerable(values.Select(t => new TinyGenerator.TargetRow { Absorption = t }).ToArray());
        ITransformer model = modelPath.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
            ? mlContext.Model.Load(modelPath, out _)
            : mlContext.Inverse().ApplyOnnxGenerator(modelPath).Fit(targets);
        var output = model.Transform(targets);
        var lines = InverseModelData.Bits(output, GenerationColumns.GeneratedImages)
            .Concat(InverseModelData.Bits(output, GenerationColumns.PredictedAbsorption))
            .Append(LibTorchLine + LibTorchMapped());
        File.WriteAllLines(outputPath, lines);
    }

    /// <summary>True when a libtorch library (libtorch*.so, or TorchSharp's libLibTorchSharp.so) is mapped into this process.</summary>
    public static bool LibTorchMapped() =>
        File.ReadLines("/proc/self/maps").Any(line => line.Contains("libtorch", StringComparison.OrdinalIgnoreCase));
}
