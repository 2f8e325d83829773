using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetInverse.Tests.ML;

/// <summary>
/// Hand-made (absorption, latent) rows shaped like the VQ-VAE's output: L = 6 latent values that depend smoothly on the
/// absorption (two branches, so the conditional density is bimodal) plus seeded noise, and 4 code indices.
/// </summary>
internal static class LatentSamples
{
    public const int LatentDimension = 6;
    public const int Codes = 4;

    public sealed class Row
    {
        public long Id { get; set; }

        public float Absorption { get; set; }

        [VectorType(LatentDimension)]
        public float[] Latent { get; set; } = [];

        [VectorType(Codes)]
        public int[] CodeIndices { get; set; } = [];
    }

    /// <summary>Rows without an Id column.</summary>
    public sealed class AnonymousRow
    {
        public float Absorption { get; set; }

        [VectorType(LatentDimension)]
        public float[] Latent { get; set; } = [];
    }

    /// <summary><paramref name="count"/> rows with absorption spread over [0.3, 0.75] and ids 1000, 1003, ...</summary>
    public static Row[] Rows(int count, int seed = 4)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            float a = 0.3f + 0.45f * i / Math.Max(1, count - 1);
            float branch = i % 2 == 0 ? 1f : -1f;
            var latent = Enumerable.Range(0, LatentDimension)
                .Select(l => (float)(branch * Math.Sin(3 * a + l) + 2 * a * l + 0.05 * (random.NextDouble() - 0.5)))
                .ToArray();
            return new Row { Id = 1000 + 3 * i, Absorption = a, Latent = latent, CodeIndices = [i % 7, i % 5, 3, i % 11] };
        }).ToArray();
    }

    public static IDataView View(MLContext mlContext, int count, int seed = 4) => mlContext.Data.LoadFromEnumerable(Rows(count, seed));
}
