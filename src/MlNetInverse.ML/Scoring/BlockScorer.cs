namespace MlNetInverse.ML.Scoring;

/// <summary>
/// Scores one block of targets: MDN weights and picked components in chunks of <see cref="IGeneratorEngine.TargetsPerMixtureCall(int)"/> targets, seeded
/// draws, decoding in chunks of <see cref="BatchScorer.ImagesPerDecode"/> images, packing. Buffers are reused from block
/// to block, so memory stays at one block.
/// </summary>
internal sealed class BlockScorer(IGeneratorEngine engine, ScoringGenerator generator, long seed, int samples, BatchScoringOptions options)
{
    private readonly int _l = engine.LatentDimension, _pixels = engine.ImageSize * engine.ImageSize;
    // Targets drawn before decoding: a decode chunk, or the engine's whole mixture call when that is larger.
    private readonly int _targetsPerChunk = Math.Max(Math.Max(1, BatchScorer.ImagesPerDecode / samples), engine.TargetsPerMixtureCall(samples));
    private readonly int _targetsPerMixture = engine.TargetsPerMixtureCall(samples);
    private readonly MixtureDraws _draws = new(engine);
    private float[] _latents = [], _images = [];
    private long _decodeTicks;

    /// <summary>Seconds spent in the MDN so far (s).</summary>
    public double MixtureSeconds => _draws.MixtureTicks / (double)System.Diagnostics.Stopwatch.Frequency;

    /// <summary>Seconds spent drawing latents from the mixtures so far (s).</summary>
    public double SamplingSeconds => _draws.SamplingTicks / (double)System.Diagnostics.Stopwatch.Frequency;

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

        for (int start = 0; start < n; start += _targetsPerChunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(_targetsPerChunk, n - start), chunkImages = count * samples;
            Ensure(ref _latents, chunkImages * _l);
            for (int m = 0; m < count; m += _targetsPerMixture)
            {
                int c = Math.Min(_targetsPerMixture, count - m);
                Draw(targets.AsSpan(start + m, c), _latents.AsSpan(m * samples * _l, c * samples * _l));
            }
            for (int image = 0; image < chunkImages; image += BatchScorer.ImagesPerDecode)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int decoded = Math.Min(BatchScorer.ImagesPerDecode, chunkImages - image), first = start * samples + image;
                Ensure(ref _images, decoded * _pixels);
                var chunkAbsorption = absorption is null ? Span<float>.Empty : absorption.AsSpan(first, decoded);
                long decodeStart = System.Diagnostics.Stopwatch.GetTimestamp();
                engine.Decode(_latents.AsSpan(image * _l, decoded * _l), decoded, _images.AsSpan(0, decoded * _pixels), chunkAbsorption);
                _decodeTicks += System.Diagnostics.Stopwatch.GetTimestamp() - decodeStart;
                if (floats is not null) _images.AsSpan(0, decoded * _pixels).CopyTo(floats.AsSpan(first * _pixels));
                else Pack(_images.AsSpan(0, decoded * _pixels), packed!, first, decoded, bytesPerImage);
            }
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
            seeds[i] = LatentSampler.RowSeed(seed, targets[i]);
        }
        _draws.Draw(conditions, seeds, samples, latents);
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
