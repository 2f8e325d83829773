using MlNetInverse.ML.Mdn;

namespace MlNetInverse.ML.Scoring;

/// <summary>
/// Scores one block of targets: MDN weights and picked components in chunks of <see cref="BatchScorer.TargetsPerMixture"/> targets, seeded
/// draws, decoding in chunks of <see cref="BatchScorer.ImagesPerDecode"/> images, packing. Buffers are reused from block
/// to block, so memory stays at one block.
/// </summary>
internal sealed class BlockScorer(IGeneratorEngine engine, ScoringGenerator generator, long seed, int samples, BatchScoringOptions options)
{
    private readonly int _k = engine.Components, _l = engine.LatentDimension, _pixels = engine.ImageSize * engine.ImageSize;
    private readonly int _targetsPerDecode = Math.Max(1, BatchScorer.ImagesPerDecode / samples);
    private float[] _logWeights = [], _means = [], _sigmas = [], _latents = [], _images = [];
    private int[] _rows = [], _components = [];
    private long _mixtureTicks, _samplingTicks, _decodeTicks;

    /// <summary>Seconds spent in the MDN so far (s).</summary>
    public double MixtureSeconds => _mixtureTicks / (double)System.Diagnostics.Stopwatch.Frequency;

    /// <summary>Seconds spent drawing latents from the mixtures so far (s).</summary>
    public double SamplingSeconds => _samplingTicks / (double)System.Diagnostics.Stopwatch.Frequency;

    /// <summary>Seconds spent in the decoder (and surrogate) so far (s).</summary>
    public double DecodeSeconds => _decodeTicks / (double)System.Diagnostics.Stopwatch.Frequency;

    public ScoredBlock Score(long firstRow, float[] targets, CancellationToken cancellationToken)
    {
        int n = targets.Length, images = n * samples, bytesPerImage = (_pixels + 7) / 8;
        var inRange = new bool[n];
        var packed = options.ImageEncoding == ScoreImageEncoding.Packed ? new byte[images][] : null;
        var floats = options.ImageEncoding == ScoreImageEncoding.Float ? new float[(long)images * _pixels] : null;
        var absorption = options.PredictAbsorption ? new float[images] : null;
        for (int t = 0; t < n; t++) inRange[t] = generator.IsInTrainingRange(targets[t]);

        for (int start = 0; start < n; start += _targetsPerDecode)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(_targetsPerDecode, n - start), chunkImages = count * samples;
            Ensure(ref _latents, chunkImages * _l);
            for (int m = 0; m < count; m += BatchScorer.TargetsPerMixture)
            {
                int c = Math.Min(BatchScorer.TargetsPerMixture, count - m);
                Draw(targets.AsSpan(start + m, c), _latents.AsSpan(m * samples * _l, c * samples * _l));
            }
            Ensure(ref _images, chunkImages * _pixels);
            var chunkAbsorption = absorption is null ? Span<float>.Empty : absorption.AsSpan(start * samples, chunkImages);
            long decodeStart = System.Diagnostics.Stopwatch.GetTimestamp();
            engine.Decode(_latents.AsSpan(0, chunkImages * _l), chunkImages, _images.AsSpan(0, chunkImages * _pixels), chunkAbsorption);
            _decodeTicks += System.Diagnostics.Stopwatch.GetTimestamp() - decodeStart;
            if (floats is not null) _images.AsSpan(0, chunkImages * _pixels).CopyTo(floats.AsSpan(start * samples * _pixels));
            else Pack(_images.AsSpan(0, chunkImages * _pixels), packed!, start * samples, chunkImages, bytesPerImage);
        }
        return new ScoredBlock
        {
            FirstRow = firstRow, Samples = samples, ImageSize = engine.ImageSize, Targets = targets, InTrainingRange = inRange,
            PackedImages = packed, FloatImages = floats, Absorption = absorption,
        };
    }

    private void Draw(ReadOnlySpan<float> targets, Span<float> latents)
    {
        int c = targets.Length;
        var conditions = new float[c];
        var seeds = new long[c];
        for (int i = 0; i < c; i++)
        {
            conditions[i] = generator.Condition(targets[i]);
            seeds[i] = MdnTransformer.RowSeed(seed, targets[i]);
        }
        int draws = c * samples;
        Ensure(ref _logWeights, c * _k);
        Ensure(ref _means, draws * _l);
        Ensure(ref _sigmas, draws * _l);
        if (_rows.Length < draws) (_rows, _components) = (new int[draws], new int[draws]);
        var logWeights = _logWeights.AsSpan(0, c * _k);
        var means = _means.AsSpan(0, draws * _l);
        var sigmas = _sigmas.AsSpan(0, draws * _l);
        var rows = _rows.AsSpan(0, draws);
        var components = _components.AsSpan(0, draws);
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        engine.LogWeights(conditions, logWeights);
        long weighted = System.Diagnostics.Stopwatch.GetTimestamp();
        // Components and normals first, then only the picked components' Gaussians: 1/K of the MDN heads' work.
        LatentSampler.PickComponents(logWeights, seeds, _k, _l, samples, rows, components, latents);
        long picked = System.Diagnostics.Stopwatch.GetTimestamp();
        engine.ChosenComponents(conditions, rows, components, means, sigmas);
        long chosen = System.Diagnostics.Stopwatch.GetTimestamp();
        LatentSampler.Combine(means, sigmas, latents);
        _mixtureTicks += (weighted - start) + (chosen - picked);
        _samplingTicks += (picked - weighted) + (System.Diagnostics.Stopwatch.GetTimestamp() - chosen);
    }

    /// <summary>0/1 pixels → bits, pixel i at bit (7 - i % 8) of byte i / 8 (Microstructure.ToPackedBits).</summary>
    private static void Pack(ReadOnlySpan<float> images, byte[][] packed, int firstImage, int count, int bytesPerImage)
    {
        int pixels = images.Length / count;
        for (int j = 0; j < count; j++)
        {
            var bytes = new byte[bytesPerImage];
            var image = images.Slice(j * pixels, pixels);
            for (int i = 0; i < pixels; i++)
                if (image[i] > 0.5f) bytes[i >> 3] |= (byte)(0x80 >> (i & 7));
            packed[firstImage + j] = bytes;
        }
    }

    private static void Ensure(ref float[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new float[length];
    }
}
