using MlNetInverse.ML.Mdn;
using MlNetInverse.Models.Surrogate;

namespace MlNetInverse.ML.Generation;

/// <summary>
/// One target's designs made in chunks of at most <see cref="ChunkSize"/> candidates, value for value what the
/// generation chain's Transform gives for that target (MDN draws, decode, optional surrogate screen), so memory does not
/// grow with the draws beyond one float per candidate. Without a screen the draws are drawn and decoded chunk by chunk in
/// order. With one, pass 1 draws and decodes every candidate chunk by chunk and keeps only its surrogate absorption; the
/// screen chooses on those exactly as <see cref="SampleSelectionTransformer"/> does (<see cref="SurrogateScreen.Closest"/>);
/// pass 2 draws the kept candidates again (the target's stream is skipped to each) and decodes them in rank order, with
/// the absorption pass 1 measured. Chunks start at multiples of the decoder's call size, so pass 1 makes the decoder
/// calls of one big decode. The decoder's float results depend slightly on what else is in its call (measured: 2 of 600
/// absorptions differ by 1 ulp between batchings), so pass 2 takes the absorption from pass 1 and checks each map
/// against a 64-bit fingerprint pass 1 kept: a map that differs (a pixel at the 0.5 threshold) is made again in its
/// pass-1 decoder call. Held per target: a float and a fingerprint per candidate, one chunk of maps.
/// </summary>
internal sealed class ChunkedGeneration
{
    /// <summary>Candidates per chunk unless told: about 20 MB of 64 x 64 maps and their latents.</summary>
    public const int DefaultChunkSize = 8 * MicrostructureDecodeTransformer.DecodeBlock;

    private readonly LatentSamplerTransformer _mdn;
    private readonly MicrostructureDecodeTransformer _decoder;

    /// <param name="mdn">The chain's sampler (its seed; an MDN's calibration).</param>
    /// <param name="decoder">The chain's decode step.</param>
    /// <param name="designs">Designs per target.</param>
    /// <param name="oversampling">Candidates drawn per design (1: no screen).</param>
    /// <param name="chunkSize">Most candidates held at once: a multiple of the decoder's call size <see cref="MicrostructureDecodeTransformer.DecodeBlock"/>.</param>
    public ChunkedGeneration(LatentSamplerTransformer mdn, MicrostructureDecodeTransformer decoder, int designs, int oversampling, int chunkSize = DefaultChunkSize)
    {
        ArgumentNullException.ThrowIfNull(mdn);
        ArgumentNullException.ThrowIfNull(decoder);
        if (designs < 1) throw new ArgumentOutOfRangeException(nameof(designs), designs, "Make at least 1 design per target.");
        if (oversampling < 1) throw new ArgumentOutOfRangeException(nameof(oversampling), oversampling, "Draw at least 1 candidate per design.");
        // A chunk is whole decoder calls, so pass 1 makes the calls (and the float results) of one big decode.
        if (chunkSize < 1 || chunkSize % MicrostructureDecodeTransformer.DecodeBlock != 0)
            throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, $"A chunk holds a positive multiple of {MicrostructureDecodeTransformer.DecodeBlock} candidates (the decoder's call size).");
        if (mdn.LatentDimension != decoder.LatentLength)
            throw new ArgumentException($"The {mdn.SamplerName} draws latents of {mdn.LatentDimension} values but the decoder takes {decoder.LatentLength}.", nameof(decoder));
        _mdn = mdn;
        _decoder = decoder;
        Designs = designs;
        Oversampling = oversampling;
        Candidates = checked(designs * oversampling);
        ChunkSize = chunkSize;
    }

    public int Designs { get; }

    public int Oversampling { get; }

    /// <summary>
    /// Strata of volume fraction the screen keeps equal shares from, as the chain's <see cref="SampleSelectionTransformer"/>
    /// (1: one ranking over all candidates).
    /// </summary>
    public int VolumeFractionStrata { get; init; } = 1;

    /// <summary>The weighted screen's softness, as the chain's <see cref="SampleSelectionTransformer"/> (0: keep the closest); its keys take the MDN's sampling seed.</summary>
    public double Softness { get; init; }

    /// <summary>Candidates drawn per target (designs x oversampling).</summary>
    public int Candidates { get; }

    public int ChunkSize { get; }

    /// <summary>The most candidates decoded in one chunk so far (what bounds the maps held at once).</summary>
    public int LargestChunk { get; private set; }

    /// <summary>
    /// The designs of <paramref name="target"/> in output order, a chunk at a time (each chunk's arrays are its own).
    /// The MDN runs here; the draws are made and decoded as the chunks are asked for.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="target"/> is not a finite number.</exception>
    public IEnumerable<DesignChunk> Generate(float target)
    {
        var draws = _mdn.DrawsFor(target);
        if (Oversampling == 1 || Candidates <= ChunkSize) return OnePass(target, draws);
        return TwoPasses(target, draws);
    }

    /// <summary>Every candidate in draw order, chunk by chunk; with a screen (all candidates in one chunk), the kept ones in rank order.</summary>
    private IEnumerable<DesignChunk> OnePass(float target, LatentDraws draws)
    {
        for (int first = 0; first < Candidates; first += ChunkSize)
        {
            int count = Math.Min(ChunkSize, Candidates - first);
            var (images, predictions) = DecodeRange(draws, first, count);
            if (Oversampling == 1)
            {
                yield return new DesignChunk(first, count, images, predictions);
                continue;
            }
            // All candidates are here (Candidates <= ChunkSize): the screen keeps Designs of them, closest first.
            int pixels = PixelsPerImage;
            var kept = SurrogateScreen.Choose(predictions, target, Designs, images, pixels, VolumeFractionStrata, Softness, _mdn.SamplingSeed);
            var keptImages = new float[kept.Length * pixels];
            var keptPredictions = new float[kept.Length];
            for (int k = 0; k < kept.Length; k++)
            {
                Array.Copy(images, kept[k] * pixels, keptImages, k * pixels, pixels);
                keptPredictions[k] = predictions[kept[k]];
            }
            yield return new DesignChunk(0, kept.Length, keptImages, keptPredictions);
        }
    }

    /// <summary>Pass 1 scores every candidate a chunk at a time; pass 2 makes the kept ones again in rank order.</summary>
    private IEnumerable<DesignChunk> TwoPasses(float target, LatentDraws draws)
    {
        var scores = new float[Candidates];
        var fingerprints = new ulong[Candidates];
        var volumeFractions = VolumeFractionStrata == 1 ? null : new float[Candidates];
        int pixels = PixelsPerImage;
        for (int first = 0; first < Candidates; first += ChunkSize)
        {
            int count = Math.Min(ChunkSize, Candidates - first);
            var (images, predictions) = DecodeRange(draws, first, count);
            predictions.CopyTo(scores, first);
            for (int k = 0; k < count; k++) fingerprints[first + k] = MapFingerprint.Of(images.AsSpan(k * pixels, pixels));
            if (volumeFractions is not null) SurrogateScreen.VolumeFractions(images.AsSpan(0, count * pixels), pixels).CopyTo(volumeFractions, first);
        }
        // With one stratum the volume fractions were not kept, and the strata's screen is one ranking anyway.
        var kept = volumeFractions is null
            ? SurrogateScreen.Weighted(scores, target, Designs, Softness, _mdn.SamplingSeed)
            : SurrogateScreen.ClosestWithinVolumeStrata(scores, target, Designs, volumeFractions, VolumeFractionStrata);
        for (int first = 0; first < kept.Length; first += ChunkSize)
        {
            int count = Math.Min(ChunkSize, kept.Length - first);
            var indices = new long[count];
            var keptPredictions = new float[count];
            for (int k = 0; k < count; k++)
            {
                indices[k] = kept[first + k];
                keptPredictions[k] = scores[kept[first + k]];
            }
            // The surrogate's values are pass 1's, measured in the decoder calls of one big decode; the maps of pass 2
            // are the same maps (binarized decoder output of the same latents).
            var (images, _) = DecodeAt(draws, indices);
            for (int k = 0; k < count; k++)
            {
                var map = images.AsSpan(k * pixels, pixels);
                if (RemakeEveryKeptMap || MapFingerprint.Of(map) != fingerprints[indices[k]]) RemakeInPassOneCall(draws, indices[k], map);
            }
            yield return new DesignChunk(first, count, images, keptPredictions);
        }
    }

    private int PixelsPerImage => _decoder.ImageSize * _decoder.ImageSize;

    /// <summary>Tests only: pass 2 remakes every kept map in its pass-1 decoder call, as it does for a map whose fingerprint differs.</summary>
    internal bool RemakeEveryKeptMap { get; init; }

    /// <summary>Kept maps pass 2 made again in their pass-1 decoder call.</summary>
    public int RemadeMaps { get; private set; }

    /// <summary>Candidate <paramref name="index"/>'s map as pass 1 made it: its decoder call (the block of one big decode holding it) again.</summary>
    private void RemakeInPassOneCall(LatentDraws draws, long index, Span<float> map)
    {
        int block = MicrostructureDecodeTransformer.DecodeBlock, pixels = PixelsPerImage;
        long start = index / block * block;
        int count = (int)Math.Min(block, Candidates - start);
        var (images, _) = DecodeRange(draws, start, count);
        images.AsSpan((int)(index - start) * pixels, pixels).CopyTo(map);
        RemadeMaps++;
    }

    /// <summary>Draws candidates first..first+count-1 of the target and decodes them together.</summary>
    private (float[] Images, float[] Predictions) DecodeRange(LatentDraws draws, long first, int count)
    {
        var latents = new float[count * draws.LatentDimension];
        draws.Draw(first, count, latents);
        return Decode(latents, count);
    }

    /// <summary>Draws the candidates <paramref name="indices"/> of the target (each skipped to) and decodes them together.</summary>
    private (float[] Images, float[] Predictions) DecodeAt(LatentDraws draws, long[] indices)
    {
        int l = draws.LatentDimension;
        var latents = new float[indices.Length * l];
        for (int k = 0; k < indices.Length; k++) draws.Draw(indices[k], 1, latents.AsSpan(k * l, l));
        return Decode(latents, indices.Length);
    }

    private (float[] Images, float[] Predictions) Decode(float[] latents, int count)
    {
        var images = new float[(long)count * PixelsPerImage];
        var predictions = new float[count];
        _decoder.Decode(latents, count, images, predictions);
        LargestChunk = Math.Max(LargestChunk, count);
        return (images, predictions);
    }
}

/// <summary>A 64-bit fingerprint of a map's values (SplitMix64 over their bits): tells whether two decodes made the same map.</summary>
internal static class MapFingerprint
{
    public static ulong Of(ReadOnlySpan<float> map)
    {
        ulong hash = (ulong)map.Length;
        foreach (float value in map) hash = Physics.Randomness.SplitMix64.Mix(hash ^ (uint)BitConverter.SingleToInt32Bits(value));
        return hash;
    }
}

/// <summary>
/// Designs <see cref="First"/>..First+Count-1 of one target in output order: their binarized maps (S*S values each,
/// x-major, design k at k*S*S) and surrogate absorption.
/// </summary>
internal sealed record DesignChunk(int First, int Count, float[] Images, float[] Predictions);
