namespace MlNetInverse.ML.Scoring;

/// <summary>
/// The one sampling core of the engine paths (batch scoring and <see cref="Onnx.OnnxGeneratorTransformer"/>): for
/// each target its conditioning value and row seed in, N latents out. The engine gives the mixture weights, the
/// components are picked and the standard normals drawn by <see cref="LatentSampler"/> (the MDN transformer's stream,
/// draw for draw), and only the picked components' Gaussians are asked of the engine (1/K of the MDN heads' work).
/// Buffers are reused from call to call; not thread-safe.
/// </summary>
internal sealed class MixtureDraws(IGeneratorEngine engine)
{
    private readonly int _k = engine.Components, _l = engine.LatentDimension;
    private float[] _logWeights = [], _means = [], _sigmas = [], _drawConditions = [];
    private int[] _rows = [], _components = [];

    /// <summary>Stopwatch ticks spent in the engine's MDN so far.</summary>
    public long MixtureTicks { get; private set; }

    /// <summary>Stopwatch ticks spent picking components, drawing normals and combining so far.</summary>
    public long SamplingTicks { get; private set; }

    /// <summary>
    /// <paramref name="samples"/> latents per target into <paramref name="latents"/> [C * N * L]: target i's draws come
    /// from the mixture at <paramref name="conditions"/>[i] with the stream of <paramref name="seeds"/>[i].
    /// </summary>
    public void Draw(ReadOnlySpan<float> conditions, ReadOnlySpan<long> seeds, int samples, Span<float> latents)
    {
        int c = conditions.Length, draws = c * samples;
        if (seeds.Length != c || latents.Length != draws * _l)
            throw new ArgumentException($"{c} conditions, {seeds.Length} seeds and {latents.Length} latent values do not match N={samples}, L={_l}.");
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
        LatentSampler.PickComponents(logWeights, seeds, _k, _l, samples, rows, components, latents, threads: engine.Threads);
        long picked = System.Diagnostics.Stopwatch.GetTimestamp();
        engine.ChosenComponents(conditions, rows, components, means, sigmas);
        long chosen = System.Diagnostics.Stopwatch.GetTimestamp();
        LatentSampler.CombineByCondition(means, sigmas, latents, engine.NoiseFactors, DrawConditions(conditions, rows), engine.Threads);
        MixtureTicks += (weighted - start) + (chosen - picked);
        SamplingTicks += (picked - weighted) + (System.Diagnostics.Stopwatch.GetTimestamp() - chosen);
    }

    // Each draw's condition, for the noise band it draws with (only read with bands).
    private ReadOnlySpan<float> DrawConditions(ReadOnlySpan<float> conditions, ReadOnlySpan<int> rows)
    {
        if (engine.NoiseFactors is not { Count: > 1 }) return default;
        Ensure(ref _drawConditions, rows.Length);
        for (int p = 0; p < rows.Length; p++) _drawConditions[p] = conditions[rows[p]];
        return _drawConditions.AsSpan(0, rows.Length);
    }

    private static void Ensure(ref float[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new float[length];
    }
}
