using MlNetInverse.Models.Benchmarks;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.VqVae;
using static TorchSharp.torch;

namespace MlNetInverse.ML.Scoring;

/// <summary>
/// Multiply-adds per generated image of each scoring stage, counted on the model's own layers (see
/// <see cref="MultiplyAdds"/>), so <c>bench score</c> can report GFLOP/s per stage against the CPU's peak.
/// </summary>
/// <param name="Mixture">MDN per image at one image per target: trunk and weight head, plus the picked component's mean and sigma rows.</param>
/// <param name="Snap">Distances from every latent grid vector to every code (G^2 x K x D).</param>
/// <param name="Decoder">The decoder as the torch engine runs it (on the CPU the first layer is a per-code lookup, see <see cref="MultiplyAdds.OfIndexDecoding"/>).</param>
/// <param name="Surrogate">The surrogate's convolutions and linear layers (its Fourier shells' matrix products not counted).</param>
/// <param name="DecoderLayers">The decoder's convolutions layer by layer, as the exported ONNX graph runs them.</param>
public sealed record ScoringWork(long Mixture, long Snap, long Decoder, long Surrogate, long DecoderLayers)
{
    /// <summary>The decoder's multiply-adds per image on <paramref name="engine"/> (an engine name as <see cref="ScoringStageTimes.Engine"/> gives it).</summary>
    public long DecoderOn(string engine) => engine.StartsWith("onnx", StringComparison.Ordinal) ? DecoderLayers : Decoder;

    /// <summary>Counts the work of one image through <paramref name="mdn"/>, <paramref name="vqVae"/> and <paramref name="surrogate"/>.</summary>
    public static ScoringWork Of(MixtureDensityNetwork mdn, VqVaeModel vqVae, AbsorptionSurrogateModel surrogate)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var options = vqVae.Options;
        int g = options.LatentGridSize, d = options.CodeDimension, s = options.ImageSize;
        var condition = tensor(new[] { 0.65f }).to(mdn.Device);
        long mixture = MultiplyAdds.During(mdn, () => mdn.LogWeights(condition))
            + 2L * mdn.Options.HiddenUnits * mdn.Options.LatentDimension; // ChosenComponents: one mean row and one sigma row per draw
        var (decoder, layers) = MultiplyAdds.OfIndexDecoding(vqVae, TorchGeneratorEngine.ImagesPerCall);
        long absorption = MultiplyAdds.During(surrogate, () => surrogate.call(zeros(new long[] { 1, 1, s, s }, device: vqVae.Device)));
        return new ScoringWork(mixture, (long)g * g * options.CodebookSize * d, decoder, absorption, layers);
    }

    /// <summary>GFLOP/s of <paramref name="multiplyAdds"/> per image over <paramref name="images"/> images in <paramref name="seconds"/> (2 flops per multiply-add).</summary>
    public static double GigaFlops(long multiplyAdds, long images, double seconds) =>
        seconds > 0 ? 2.0 * multiplyAdds * images / seconds / 1e9 : 0;
}
