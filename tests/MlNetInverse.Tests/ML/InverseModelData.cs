using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.ML.VqVae;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Tests.Models;

namespace MlNetInverse.Tests.ML;

/// <summary>
/// 64x64 GRF maps with the cheap structure-aware stand-in absorption of <see cref="TrainingTestData"/>, as ML.NET rows,
/// and tiny VQ-VAE / surrogate settings so a fit takes seconds.
/// </summary>
internal static class InverseModelData
{
    public const int Size = 64;
    public const int Pixels = Size * Size;

    // Generated once per test run: GRF maps cost a few ms each.
    private static readonly Lazy<Row[]> Cached = new(() => Build(320, seed: 21));

    public sealed class Row
    {
        [VectorType(Pixels)]
        public float[] Image { get; set; } = [];

        public float Absorption { get; set; }
    }

    /// <summary>The first <paramref name="count"/> (at most 320) cached rows.</summary>
    public static Row[] Rows(int count) => Cached.Value.Take(count).ToArray();

    public static IDataView View(MLContext mlContext, int count) => mlContext.Data.LoadFromEnumerable(Rows(count));

    public static Row[] Build(int count, long seed)
    {
        var (images, absorption, _) = TrainingTestData.GrfMaps(count, Size, seed);
        return Enumerable.Range(0, count)
            .Select(i => new Row { Image = images.AsSpan(i * Pixels, Pixels).ToArray(), Absorption = absorption[i] })
            .ToArray();
    }

    /// <summary>
    /// A VQ-VAE with 8/16 hidden channels, K = 32 codes of D = 4 on a 16x16 grid, a high learning rate and quick
    /// dead-code restarts (reaches ~90 % pixel accuracy in 6 epochs on 256 maps). One torch thread: the machine is
    /// shared, and an oversubscribed OpenMP pool is many times slower.
    /// </summary>
    public static VqVaeEstimatorOptions TinyVqVae(int epochs = 2) => new()
    {
        Network = new VqVaeOptions { CodebookSize = 32, CodeDimension = 4, LatentGridSize = 16, HiddenChannels = 8, DeadCodeThreshold = 10 },
        Training = new VqVaeTrainingOptions { Epochs = epochs, BatchSize = 32, LearningRate = 1e-2, Seed = 3, Threads = 1 },
    };

    /// <summary>A surrogate with 2/4/8 channels and 8 hidden units.</summary>
    public static AbsorptionSurrogateEstimatorOptions TinySurrogate(int epochs = 2) => new()
    {
        Network = new AbsorptionSurrogateOptions { BaseChannels = 2, HiddenUnits = 8 },
        Training = new SurrogateTrainingOptions { Epochs = epochs, BatchSize = 32, Seed = 5, Threads = 1 },
    };

    /// <summary>Raw bits of every value of <paramref name="column"/> (Single, or a Single/Int32 vector), one string per row.</summary>
    public static string[] Bits(IDataView data, string column)
    {
        var type = data.Schema[column].Type;
        if (type is not VectorDataViewType vector)
            return data.GetColumn<float>(column).Select(v => BitConverter.SingleToInt32Bits(v).ToString("x8")).ToArray();
        if (vector.ItemType == NumberDataViewType.Int32)
            return data.GetColumn<int[]>(column).Select(v => string.Join(",", v)).ToArray();
        return data.GetColumn<float[]>(column).Select(v => string.Join(",", v.Select(f => BitConverter.SingleToInt32Bits(f).ToString("x8")))).ToArray();
    }
}
