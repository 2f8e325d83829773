using MlNetInverse.Physics.Datasets;
using MlNetInverse.Tests.Physics.Datasets;

namespace MlNetInverse.Tests.Cli;

/// <summary>
/// A small real dataset for the train commands: GRF maps labelled by RCWA with a cheap stack (9 harmonics, 2
/// wavelengths; <see cref="DatasetFakes.Stack"/>), made once per test run and copied into each test's folder.
/// </summary>
internal static class TrainingDatasetFile
{
    public const int Count = 48;

    private static readonly Lazy<byte[]> Bytes = new(Generate);

    /// <summary>Writes the dataset to <paramref name="path"/> and returns the path.</summary>
    public static string WriteTo(string path)
    {
        File.WriteAllBytes(path, Bytes.Value);
        return path;
    }

    private static byte[] Generate()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mlnet-inverse-train-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var path = Path.Combine(folder, "train.parquet");
            var options = DatasetFakes.Options(Count, seed: 5, rowGroupSize: 16, threads: 2);
            new DatasetGenerator(options).GenerateAsync(path).GetAwaiter().GetResult();
            return File.ReadAllBytes(path);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
