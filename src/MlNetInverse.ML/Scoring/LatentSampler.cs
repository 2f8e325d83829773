using System.Runtime.CompilerServices;
using MlNetInverse.Physics.Randomness;

namespace MlNetInverse.ML.Scoring;

/// <summary>
/// Draws latents from a batch of mixtures held in plain arrays, exactly as the MDN transformer does for one target:
/// the draws of target t come from a SplitMix64 stream keyed by (seed_t, 1001, 0) with seed_t =
/// <see cref="Mdn.MdnTransformer.RowSeed"/>(sampling seed, t); each draw takes one uniform for its component (from the
/// weights, renormalised in double) and L standard normals (Box-Muller), and is mean + sigma * eps in float32. So a
/// target's draws do not depend on the batch it is scored in, the engine that computed the mixture, or N (draw n
/// is always the same). Kept apart from the TorchSharp sampler so the ONNX engine never loads libtorch.
/// </summary>
internal static class LatentSampler
{
    /// <summary>
    /// The seed of one target's draws (<see cref="Mdn.MdnTransformer.RowSeed"/>): a SplitMix64 mix of
    /// <paramref name="samplingSeed"/> and the float32 bits of <paramref name="target"/>. Here, not on the torch-backed
    /// transformer, so the ONNX paths compute it without touching a TorchSharp type.
    /// </summary>
    public static long RowSeed(long samplingSeed, float target)
    {
        ulong z = unchecked((ulong)samplingSeed * SplitMix64.Gamma) ^ (uint)BitConverter.SingleToInt32Bits(target);
        return unchecked((long)SplitMix64.Mix(z));
    }

    /// <summary>
    /// The first half of the draws from mixtures with log weights <paramref name="logWeights"/> [B, K] and per-target
    /// seeds <paramref name="seeds"/> [B]: for draw p = b * N + n, its target <paramref name="rows"/>[p] = b, its
    /// component <paramref name="components"/>[p] and its standard normals <paramref name="noise"/>[p, L]. Finish with
    /// <see cref="CombineByCondition"/> once the picked components' means and sigmas are known. With <paramref name="first"/> the
    /// N draws are draws first..first+N-1 of each target's stream (the stream is skipped, not walked), so draws made in
    /// chunks equal those of one call. With <paramref name="threads"/> other than 1 (0: all cores) many targets are shared
    /// out over that many threads; every target's draws are the same either way.
    /// </summary>
    public static void PickComponents(ReadOnlySpan<float> logWeights, ReadOnlySpan<long> seeds, int components, int latentDimension, int samples,
        Span<int> rows, Span<int> picked, Span<float> noise, long first = 0, int threads = 1)
    {
        int b = seeds.Length, k = components, l = latentDimension;
        if (logWeights.Length != b * k || rows.Length != b * samples || picked.Length != rows.Length || noise.Length != (long)b * samples * l)
            throw new ArgumentException($"Arrays do not match B={b}, K={k}, L={l}, N={samples}.");
        if (threads == 1 || b < 2 || (long)b * samples * l < ParallelNormals)
        {
            PickRows(logWeights, seeds, k, l, samples, 0, b, rows, picked, noise, first);
            return;
        }
        // Every target has its own stream, so targets are shared out over the cores. Spans cannot enter a lambda: the
        // tasks reach them through their pinned addresses (no copy of every normal; fresh pages are slow on these VMs).
        int perTask = Math.Max(1, (int)(ParallelNormals / ((long)samples * l)));
        unsafe
        {
            fixed (float* weightValues = logWeights, noiseValues = noise)
            fixed (long* seedValues = seeds)
            fixed (int* rowValues = rows, pickedValues = picked)
            {
                var (w, s, r, p, e) = ((nint)weightValues, (nint)seedValues, (nint)rowValues, (nint)pickedValues, (nint)noiseValues);
                int draws = rows.Length, normals = noise.Length;
                Parallel.For(0, (b + perTask - 1) / perTask, new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : -1 }, task =>
                    PickRows(new ReadOnlySpan<float>((float*)w, b * k), new ReadOnlySpan<long>((long*)s, b), k, l, samples, task * perTask,
                        Math.Min(b, (task + 1) * perTask), new Span<int>((int*)r, draws), new Span<int>((int*)p, draws),
                        new Span<float>((float*)e, normals), first));
            }
        }
    }

    // Normals per parallel task of PickComponents (and fewer in all: one thread).
    private const long ParallelNormals = 1 << 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PickRows(ReadOnlySpan<float> logWeights, ReadOnlySpan<long> seeds, int k, int l, int samples, int start, int end,
        Span<int> rows, Span<int> picked, Span<float> noise, long first)
    {
        var cumulative = new double[k];
        for (int row = start; row < end; row++)
        {
            Categorical.Cumulative(logWeights.Slice(row * k, k), cumulative);
            var random = new SeededRandom(seeds[row], SeededRandom.Purpose.MixtureSampling, 0);
            random.Skip(first * SeededRandom.OutputsPerMixtureDraw(l));
            for (int n = 0; n < samples; n++)
            {
                int p = row * samples + n;
                rows[p] = row;
                picked[p] = Categorical.Pick(cumulative, random.NextDouble());
                random.StandardNormals(noise.Slice(p * l, l));
            }
        }
    }

    /// <summary>
    /// The second half: each draw's latent is mean + sigma * eps in float32, written over its standard normals in
    /// <paramref name="noiseToLatents"/> [P, L], from its component's <paramref name="means"/> and <paramref name="sigmas"/> [P, L];
    /// with <paramref name="noiseFactor"/> (an MDN with correlated noise) eps is first C e (<c>NoiseCorrelation</c>, on up
    /// to <paramref name="threads"/> cores, 0: all).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Combine(ReadOnlySpan<float> means, ReadOnlySpan<float> sigmas, Span<float> noiseToLatents, int latentDimension, float[]? noiseFactor, int threads = 0)
    {
        if (means.Length != noiseToLatents.Length || sigmas.Length != noiseToLatents.Length)
            throw new ArgumentException($"Means ({means.Length}), sigmas ({sigmas.Length}) and draws ({noiseToLatents.Length}) differ in length.");
        MlNetInverse.Models.Mdn.NoiseCorrelation.Apply(noiseFactor, latentDimension, noiseToLatents, threads);
        AddToMeans(means, sigmas, noiseToLatents);
    }

    /// <summary>
    /// <see cref="Combine(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, float[], int)"/> with each draw's
    /// noise correlated by the factor of its own condition (<paramref name="conditionOfDraw"/> [P]; read only when
    /// <paramref name="noise"/> has more than one band).
    /// </summary>
    public static void CombineByCondition(ReadOnlySpan<float> means, ReadOnlySpan<float> sigmas, Span<float> noiseToLatents, MlNetInverse.Models.Mdn.NoiseFactors? noise,
        ReadOnlySpan<float> conditionOfDraw, int threads = 0)
    {
        if (means.Length != noiseToLatents.Length || sigmas.Length != noiseToLatents.Length)
            throw new ArgumentException($"Means ({means.Length}), sigmas ({sigmas.Length}) and draws ({noiseToLatents.Length}) differ in length.");
        MlNetInverse.Models.Mdn.NoiseCorrelation.Apply(noise, conditionOfDraw, noiseToLatents, threads);
        AddToMeans(means, sigmas, noiseToLatents);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddToMeans(ReadOnlySpan<float> means, ReadOnlySpan<float> sigmas, Span<float> noiseToLatents)
    {
        for (int i = 0; i < noiseToLatents.Length; i++) noiseToLatents[i] = means[i] + sigmas[i] * noiseToLatents[i];
    }

    /// <summary>
    /// Draws from whole mixtures (the torch transformer's path, which computes every component): log weights [B, K],
    /// means and sigmas [B, K, L]; the picked components' Gaussians are gathered here, so the draws are those of
    /// <see cref="PickComponents"/> + <see cref="CombineByCondition"/> on the engines, value for value; <paramref name="first"/> as there.
    /// </summary>
    public static void DrawFromMixtures(ReadOnlySpan<float> logWeights, ReadOnlySpan<float> means, ReadOnlySpan<float> sigmas, ReadOnlySpan<long> seeds,
        int components, int latentDimension, int samples, Span<float> latents, long first = 0, float[]? noiseFactor = null)
    {
        int b = seeds.Length, k = components, l = latentDimension, draws = b * samples;
        if (means.Length != b * k * l || sigmas.Length != means.Length)
            throw new ArgumentException($"Means ({means.Length}) and sigmas ({sigmas.Length}) do not match B={b}, K={k}, L={l}.");
        var rows = new int[draws];
        var picked = new int[draws];
        PickComponents(logWeights, seeds, k, l, samples, rows, picked, latents, first);
        var chosenMeans = new float[draws * l];
        var chosenSigmas = new float[draws * l];
        for (int p = 0; p < draws; p++)
        {
            int offset = (rows[p] * k + picked[p]) * l;
            means.Slice(offset, l).CopyTo(chosenMeans.AsSpan(p * l, l));
            sigmas.Slice(offset, l).CopyTo(chosenSigmas.AsSpan(p * l, l));
        }
        Combine(chosenMeans, chosenSigmas, latents, l, noiseFactor);
    }
}
