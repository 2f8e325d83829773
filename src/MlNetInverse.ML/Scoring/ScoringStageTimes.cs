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
/// <param name="Work">Multiply-adds per image of each stage; null when the model holds no TorchSharp models (an ONNX export).</param>
public sealed record ScoringStageTimes(string Engine, int Images, double MixtureSeconds, double SamplingSeconds, double DecodeSeconds,
    double DecodeWithAbsorptionSeconds, double WallSeconds, double WallWithAbsorptionSeconds = 0, ScoringWork? Work = null)
{
    /// <summary>MDN GFLOP/s (0 without <see cref="Work"/>).</summary>
    public double MixtureGigaFlops => Work is null ? 0 : ScoringWork.GigaFlops(Work.Mixture, Images, MixtureSeconds);

    /// <summary>Code snapping and decoder GFLOP/s over the decode stage (0 without <see cref="Work"/>).</summary>
    public double DecodeGigaFlops => Work is null ? 0 : ScoringWork.GigaFlops(Work.Snap + Work.DecoderOn(Engine), Images, DecodeSeconds);

    /// <summary>Surrogate GFLOP/s over the extra seconds it adds to decoding (0 without <see cref="Work"/>).</summary>
    public double SurrogateGigaFlops => Work is null ? 0 : ScoringWork.GigaFlops(Work.Surrogate, Images, DecodeWithAbsorptionSeconds - DecodeSeconds);

    /// <summary>MDN sample + decode, images per second of wall time (images/s).</summary>
    public double ImagesPerSecond => Images / WallSeconds;

    /// <summary>MDN sample + decode + surrogate absorption (images/s).</summary>
    public double ImagesPerSecondWithAbsorption => Images / WallWithAbsorptionSeconds;
}
