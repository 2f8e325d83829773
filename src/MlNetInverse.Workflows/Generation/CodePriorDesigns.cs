using MlNetInverse.Models.CodePrior;
using MlNetInverse.Physics.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Workflows.Generation;

/// <summary>
/// What a masked code prior needs around a generation model zip: the code grids the zip's VQ-VAE gives its training
/// maps (what a prior trains on) and the time its sampler and the zip's decoder take (bench score). Designs themselves
/// come from the zip's chain with the prior as its sampler (<see cref="GenerationModel.WithCodePrior"/>).
/// </summary>
internal static class CodePriorDesigns
{
    /// <summary>Maps encoded together: bounds the encoder's activations.</summary>
    private const int MapsPerCall = 256;

    /// <summary>Targets the timed grids are spread over (0.55-0.75), each drawn in one call of the sampler.</summary>
    private const int TimedTargets = 8;

    /// <summary>
    /// Seconds to fill <paramref name="grids"/> grids (spread over <see cref="TimedTargets"/> targets in 0.55-0.75) with
    /// <paramref name="prior"/> as <paramref name="model"/>'s sampler on <paramref name="threads"/> torch threads, and to
    /// decode them (with the surrogate) in the zip's decoder calls; a small call first warms both.
    /// </summary>
    public static (int Grids, int Rounds, double SamplingSeconds, double DecodeSeconds) Time(GenerationModel model, MaskedCodePrior prior, int grids, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grids, 1);
        using var scope = new Physics.Runtime.TorchThreadScope(threads);
        using var sampler = ML.CodePrior.CodePriorTransformer.For(new Microsoft.ML.MLContext(0), prior, model.Decoder, model.Sampler);
        var decoder = model.Decoder;
        int l = sampler.LatentDimension, pixels = decoder.ImageSize * decoder.ImageSize;
        var warm = new float[8 * l];
        sampler.DrawsFor(0.65f).Draw(0, 8, warm);
        decoder.Decode(warm, 8, new float[8 * pixels], new float[8]);
        var latents = new float[(long)grids * l];
        var sampling = System.Diagnostics.Stopwatch.StartNew();
        for (int t = 0, start = 0; t < TimedTargets && start < grids; t++)
        {
            int count = (grids - start) / (TimedTargets - t);
            if (count == 0) continue;
            float target = (float)(0.55 + 0.2 * t / (TimedTargets - 1));
            sampler.DrawsFor(target).Draw(0, count, latents.AsSpan(start * l, count * l));
            start += count;
        }
        sampling.Stop();
        var decode = System.Diagnostics.Stopwatch.StartNew();
        decoder.Decode(latents, grids, new float[(long)grids * pixels], new float[grids]);
        decode.Stop();
        return (grids, sampler.Rounds, sampling.Elapsed.TotalSeconds, decode.Elapsed.TotalSeconds);
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
        for (int start = 0; start < records.Count; start += MapsPerCall)
        {
            int n = Math.Min(MapsPerCall, records.Count - start);
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
}
