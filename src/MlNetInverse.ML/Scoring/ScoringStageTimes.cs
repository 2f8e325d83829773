namespace MlNetInverse.ML.Scoring;

/// <summary>Per-stage seconds of a throughput run (see <see cref="ScoringBenchmark.Throughput"/>).</summary>
/// <param name="Engine">Engine and device.</param>
/// <param name="Images">Images timed (one per target).</param>
/// <param name="MixtureSeconds">MDN forward passes (s).</param>
/// <param name="SamplingSeconds">Seeded draws from the mixtures in .NET (s).</param>
/// <param name="DecodeSeconds">Nearest-code lookup, decoder and binarization (s).</param>
/// <param name="DecodeWithAbsorptionSeconds">The same plus the surrogate on every image (s).</param>
/// <param name="WallSeconds">Whole run without the surrogate, packing included (s).</param>
/// <param name="WallWithAbsorptionSeconds">Whole run with the surrogate (s).</param>
public sealed record ScoringStageTimes(string Engine, int Images, double MixtureSeconds, double SamplingSeconds, double DecodeSeconds,
    double DecodeWithAbsorptionSeconds, double WallSeconds, double WallWithAbsorptionSeconds = 0)
{
    /// <summary>MDN sample + decode, images per second of wall time (images/s).</summary>
    public double ImagesPerSecond => Images / WallSeconds;

    /// <summary>MDN sample + decode + surrogate absorption (images/s).</summary>
    public double ImagesPerSecondWithAbsorption => Images / WallWithAbsorptionSeconds;
}
