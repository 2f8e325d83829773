using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Randomness;

namespace MlNetInverse.Physics.Statistics;

/// <summary>
/// Percentile bootstrap confidence intervals of a sample mean: draw the sample's n values with replacement
/// <c>resamples</c> times, take each resample's mean, and read the interval off the sorted means at the
/// (1 - confidence)/2 and (1 + confidence)/2 quantiles (linear interpolation between order statistics). Draws come from
/// a SplitMix64 stream of the seed, so the same sample and seed always give the same interval.
/// </summary>
public static class BootstrapInterval
{
    /// <summary>Resamples when none is given: 2,000.</summary>
    public const int DefaultResamples = 2000;

    /// <summary>Confidence level when none is given: 0.95.</summary>
    public const double DefaultConfidence = 0.95;

    /// <summary>The <paramref name="confidence"/> interval of the mean of <paramref name="sample"/>.</summary>
    /// <param name="sample">The values (at least one, all finite).</param>
    /// <param name="resamples">Bootstrap resamples (at least 1). Default 2,000.</param>
    /// <param name="confidence">Confidence level in (0, 1). Default 0.95.</param>
    /// <param name="seed">Seed of the resampling. Default 0.</param>
    /// <exception cref="ArgumentException">An empty sample, a non-finite value, or a setting out of range; the message names it.</exception>
    public static ConfidenceInterval OfMean(IReadOnlyList<double> sample, int resamples = DefaultResamples, double confidence = DefaultConfidence, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Count == 0) throw new ArgumentException("A bootstrap interval needs at least one value.", nameof(sample));
        if (sample.Any(v => !double.IsFinite(v))) throw new ArgumentException("Every value of the sample must be finite.", nameof(sample));
        if (resamples < 1) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "Draw at least 1 resample.");
        if (!(confidence > 0 && confidence < 1)) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence level must lie in (0, 1).");

        int n = sample.Count;
        var means = new double[resamples];
        ulong state = SplitMix64.Mix(unchecked((ulong)seed) + SplitMix64.Gamma);
        for (int b = 0; b < resamples; b++)
        {
            double sum = 0;
            for (int j = 0; j < n; j++)
            {
                state += SplitMix64.Gamma;
                // The high word of a 64 x 64-bit product maps the draw onto [0, n) (Lemire); the bias is below n / 2^64.
                sum += sample[(int)Math.BigMul(SplitMix64.Mix(state), (ulong)n, out _)];
            }
            means[b] = sum / n;
        }
        Array.Sort(means);
        double tail = (1 - confidence) / 2;
        return new ConfidenceInterval(Quantile(means, tail), Quantile(means, 1 - tail));
    }

    /// <summary>The p-quantile of sorted values, interpolated linearly between order statistics.</summary>
    private static double Quantile(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int below = (int)Math.Floor(h);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
    }
}
