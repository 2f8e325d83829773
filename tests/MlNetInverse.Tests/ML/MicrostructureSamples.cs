using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Tests.Physics.Datasets;

namespace MlNetInverse.Tests.ML;

/// <summary>Small real GRF datasets with a cheap fake label (the fill fraction), written like the shipped dataset.</summary>
internal static class MicrostructureSamples
{
    private static readonly GaussianRandomFieldGenerator Generator = new();

    /// <summary><paramref name="count"/> records from the default ring ranges, ids 0.., label = 0.3 + 0.4 * fill.</summary>
    public static MicrostructureDataset Dataset(int count, int rowGroupSize, long seed = 11)
    {
        var options = DatasetFakes.Options(count, seed, rowGroupSize);
        var sampler = new GrfParameterSampler(seed, options.Ranges);
        var records = Enumerable.Range(0, count).Select(i =>
        {
            var sample = sampler.Sample(i);
            var map = Generator.Generate(sample.Parameters, sample.Seed);
            double fill = map.VolumeFraction;
            return new MicrostructureRecord(i, sample.Parameters, sample.Seed, 0.3 + 0.4 * fill, map, [0.3 + 0.35 * fill, 0.3 + 0.45 * fill]);
        }).ToArray();
        return new MicrostructureDataset(options.Stack, DatasetGenerationInfo.From(options), records);
    }

    /// <summary>Writes <paramref name="dataset"/> to <paramref name="path"/> and returns the path.</summary>
    public static string Write(MicrostructureDataset dataset, string path)
    {
        MicrostructureDatasetFile.WriteAsync(path, dataset).GetAwaiter().GetResult();
        return path;
    }
}
