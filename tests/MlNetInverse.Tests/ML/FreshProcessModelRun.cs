using System.Globalization;
using Microsoft.ML;

namespace MlNetInverse.Tests.ML;

/// <summary>
/// Loads a model zip in a brand-new process and writes the probe's scores (or, given a Parquet input, the raw bits of
/// named output columns), so a test can prove that nothing of the
/// saving process (ML.NET's component catalog, TorchSharp state, static caches) is needed to load a model.
/// The child is this test assembly itself, started with <c>dotnet MlNetInverse.Tests.dll</c>: the test SDK gives
/// it an empty Main, and the runtime's startup-hook mechanism (DOTNET_STARTUP_HOOKS) runs <see cref="StartupHook"/>
/// first, which does the work and exits. This avoids a second executable project that would copy ~1 GB of libtorch.
/// </summary>
internal static class FreshProcessModelRun
{
    public const string ModelVariable = "MLNET_INVERSE_FRESH_PROCESS_MODEL";
    public const string OutputVariable = "MLNET_INVERSE_FRESH_PROCESS_OUTPUT";
    public const string InputVariable = "MLNET_INVERSE_FRESH_PROCESS_INPUT";
    public const string ColumnsVariable = "MLNET_INVERSE_FRESH_PROCESS_COLUMNS";

    /// <summary>Runs the child on <paramref name="modelPath"/> and returns the scores it computed for <see cref="ProbeData.Rows"/>(64).</summary>
    public static float[] Scores(string modelPath, string outputPath) =>
        Run(modelPath, outputPath, new Dictionary<string, string>())
            .Select(line => BitConverter.Int32BitsToSingle(int.Parse(line, CultureInfo.InvariantCulture)))
            .ToArray();

    /// <summary>
    /// Runs the child on <paramref name="modelPath"/> with the rows of the Parquet file <paramref name="inputPath"/> and
    /// returns <see cref="InverseModelData.Bits"/> of each of <paramref name="columns"/>, concatenated in that order.
    /// </summary>
    public static string[] ColumnBits(string modelPath, string inputPath, string outputPath, params string[] columns) =>
        Run(modelPath, outputPath, new Dictionary<string, string> { [InputVariable] = inputPath, [ColumnsVariable] = string.Join(",", columns) });

    private static string[] Run(string modelPath, string outputPath, Dictionary<string, string> extra)
    {
        var environment = new Dictionary<string, string>(extra) { [ModelVariable] = modelPath, [OutputVariable] = outputPath };
        Infrastructure.TestAssemblyChild.Run(environment, "the fresh-process model run");
        return File.ReadAllLines(outputPath);
    }

    /// <summary>The child's work: load, score, write raw float bits one per line.</summary>
    internal static void RunChild(string modelPath, string outputPath)
    {
        var mlContext = new MLContext(seed: 5);
        var model = mlContext.Model.Load(modelPath, out _);
        if (Environment.GetEnvironmentVariable(InputVariable) is { Length: > 0 } input)
        {
            var output = model.Transform(MlNetInverse.ML.MLContextInverseExtensions.Inverse(mlContext).LoadFromParquet(input));
            var columns = Environment.GetEnvironmentVariable(ColumnsVariable)!.Split(',');
            File.WriteAllLines(outputPath, columns.SelectMany(c => InverseModelData.Bits(output, c)));
            return;
        }
        var scores = ProbeData.Scores(model, mlContext.Data.LoadFromEnumerable(ProbeData.Rows(64)));
        File.WriteAllLines(outputPath, scores.Select(s => BitConverter.SingleToInt32Bits(s).ToString(CultureInfo.InvariantCulture)));
    }
}
