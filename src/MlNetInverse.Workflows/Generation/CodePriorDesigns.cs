using MlNetInverse.Models.CodePrior;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Workflows.Generation;

/// <summary>
/// Designs drawn from a <see cref="MaskedCodePrior"/> instead of the zip's MDN, then made exactly as the zip makes its
/// own: every draw is a grid of codebook indices, looked up, decoded by the zip's VQ-VAE, binarized at the volume
/// fraction its readout reads from those codes, and screened by the zip's surrogate (the same oversampling, strata and
/// softness). Only where the latents come from differs, so a comparison with the zip isolates the prior.
/// </summary>
internal sealed class CodePriorDesigns
{
    /// <summary>Grids sampled and decoded together: bounds the prior's activations (about 10 MB at 64 cells and width 96).</summary>
    private const int GridsPerCall = 256;

    private readonly GenerationModel _model;
    private readonly MaskedCodePrior _prior;

    /// <exception cref="ArgumentException">The prior was trained on another codebook size or latent grid than the zip's VQ-VAE.</exception>
    public CodePriorDesigns(GenerationModel model, MaskedCodePrior prior, int rounds = MaskedCodePrior.DefaultRounds)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var vqVae = model.Decoder.VqVae;
        if (prior.Options.CodebookSize != vqVae.Quantizer.CodebookSize || prior.Options.GridSize != vqVae.Options.LatentGridSize)
            throw new ArgumentException(
                $"The code prior draws {prior.Options.GridSize} x {prior.Options.GridSize} grids of {prior.Options.CodebookSize} codes, but the model's VQ-VAE has a "
                + $"{vqVae.Options.LatentGridSize} x {vqVae.Options.LatentGridSize} grid of {vqVae.Quantizer.CodebookSize} codes: train the prior on this model ('train prior --model').",
                nameof(prior));
        _model = model;
        _prior = prior;
        Rounds = rounds;
    }

    /// <summary>Forward passes of the prior per grid.</summary>
    public int Rounds { get; }

    /// <summary>
    /// <paramref name="count"/> designs for <paramref name="target"/>: count x the zip's oversampling draws, screened to
    /// <paramref name="count"/> by the zip's surrogate when it has a screen. The same (target, count, seed) gives the
    /// same designs.
    /// </summary>
    public GeneratedTarget Generate(double target, int count, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var decoder = _model.Decoder;
        int draws = checked(count * _model.Oversampling), size = decoder.ImageSize, pixels = size * size;
        using var generator = new Generator(0);
        generator.manual_seed(StreamSeed(seed, target));
        SampleAndDecode(Enumerable.Repeat((float)target, draws).ToArray(), generator, out var images, out var predictions);
        int[] kept = _model.Oversampling == 1
            ? Enumerable.Range(0, draws).ToArray()
            : SurrogateScreen.Choose(predictions, (float)target, count, images, pixels, _model.ScreenVolumeFractionStrata, _model.ScreenSoftness, seed);
        var maps = kept.Select(k => images.AsSpan(k * pixels, pixels).ToArray()).ToArray();
        bool inRange = target >= _prior.TrainingAbsorptionMin && target <= _prior.TrainingAbsorptionMax;
        return new GeneratedTarget(target, inRange, maps, kept.Select(k => predictions[k]).ToArray(), size);
    }

    /// <summary>
    /// Seconds to sample <paramref name="grids"/> grids (targets spread over 0.55-0.75) on <paramref name="threads"/>
    /// torch threads, and to decode them (with the surrogate) in the zip's decoder calls; a small call first warms both.
    /// </summary>
    public static (int Grids, int Rounds, double SamplingSeconds, double DecodeSeconds) Time(GenerationModel model, MaskedCodePrior prior, int grids, int threads)
    {
        var designs = new CodePriorDesigns(model, prior);
        using var scope = new Physics.Runtime.TorchThreadScope(threads);
        using var generator = new Generator(0);
        generator.manual_seed(1);
        var labels = Enumerable.Range(0, grids).Select(i => (float)(0.55 + 0.2 * i / Math.Max(1, grids - 1))).ToArray();
        designs.SampleAndDecode(labels[..Math.Min(8, grids)], generator, out _, out _);
        var (sampling, decode) = designs.SampleAndDecode(labels, generator, out _, out _);
        return (grids, designs.Rounds, sampling, decode);
    }

    /// <summary>Samples one grid per label and decodes them, <see cref="GridsPerCall"/> at a time; returns the seconds of each part.</summary>
    private (double Sampling, double Decode) SampleAndDecode(float[] labels, Generator generator, out float[] images, out float[] predictions)
    {
        var decoder = _model.Decoder;
        int n = labels.Length, pixels = decoder.ImageSize * decoder.ImageSize, g = _prior.Options.GridSize;
        images = new float[(long)n * pixels];
        predictions = new float[n];
        var sampling = new System.Diagnostics.Stopwatch();
        var decode = new System.Diagnostics.Stopwatch();
        using var noGrad = no_grad();
        for (int start = 0; start < n; start += GridsPerCall)
        {
            int count = Math.Min(GridsPerCall, n - start);
            using var scope = NewDisposeScope();
            sampling.Start();
            var codes = _prior.Sample(labels[start..(start + count)], Rounds, generator).view(count, g, g).to(decoder.VqVae.Device);
            sampling.Stop();
            decode.Start();
            var latents = decoder.VqVae.Quantizer.Lookup(codes).cpu().contiguous().data<float>().ToArray();
            decoder.Decode(latents, count, images.AsSpan(start * pixels, count * pixels), predictions.AsSpan(start, count));
            decode.Stop();
        }
        return (sampling.Elapsed.TotalSeconds, decode.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The code grids the zip's VQ-VAE gives <paramref name="records"/>' maps (encoded, snapped to the nearest code; N = G x G
    /// indices per map, row-major) and their absorption labels: what a prior for this zip trains on.
    /// </summary>
    public static (int[] Codes, float[] Absorption) EncodeTraining(GenerationModel model, IReadOnlyList<MicrostructureRecord> records)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(records);
        var vqVae = model.Decoder.VqVae;
        int size = vqVae.Options.ImageSize, pixels = size * size, cells = vqVae.Options.LatentGridSize * vqVae.Options.LatentGridSize;
        var codes = new int[(long)records.Count * cells];
        using var noGrad = no_grad();
        for (int start = 0; start < records.Count; start += GridsPerCall)
        {
            int n = Math.Min(GridsPerCall, records.Count - start);
            var batch = new float[(long)n * pixels];
            for (int i = 0; i < n; i++)
            {
                var map = records[start + i].Map;
                if (map.Size != size) throw new ArgumentException($"Map {records[start + i].Id} is {map.Size} x {map.Size} pixels; the model's VQ-VAE takes {size} x {size}.", nameof(records));
                map.ToArray().CopyTo(batch, (long)i * pixels);
            }
            using var scope = NewDisposeScope();
            var images = tensor(batch, [n, 1, size, size]).to(vqVae.Device);
            var indices = vqVae.Quantizer.NearestIndices(vqVae.Encode(images)).to_type(ScalarType.Int32).cpu().contiguous().data<int>().ToArray();
            indices.CopyTo(codes, (long)start * cells);
        }
        return (codes, records.Select(r => (float)r.Absorption).ToArray());
    }

    /// <summary>The generator's seed for one (seed, target): targets of one seed draw independent streams.</summary>
    private static long StreamSeed(long seed, double target) =>
        (long)(SplitMix64.Mix(unchecked((ulong)seed * SplitMix64.Gamma ^ (ulong)BitConverter.DoubleToInt64Bits(target))) >> 1);
}
