using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Mdn;

/// <summary>
/// Draws latents from a batch of Gaussian mixtures. Every draw picks its own component from the mixture weights and
/// then adds mu_k + sigma_k * eps with sigma the standard deviation: the public GAN-MDN code instead picks one component
/// per target for all its draws (losing every other mode) and treats sigma as a variance (wrong spread).
/// </summary>
/// <remarks>
/// The random numbers come from <see cref="SeededRandom"/> streams keyed by (seed, target row), never from torch's
/// global generator: the same seed gives the same draws on every device, a row's draws do not depend on the other rows
/// of the batch, and asking for more draws only appends to the earlier ones (draw n always uses the same numbers).
/// Each draw takes 1 uniform for the component and L standard normals (Box-Muller pairs; an odd L drops the last one).
/// </remarks>
internal static class MixtureSampler
{
    /// <summary>
    /// Draws <paramref name="samples"/> latents per mixture: [B, N, L], on the mixture's device, float32. They are draws
    /// <paramref name="first"/>..first+N-1 of each row's stream (skipped to, not walked): chunks equal one big draw.
    /// With <paramref name="correlation"/> each draw's standard normals e become C e (correlated noise), C the factor of its
    /// row's condition (<paramref name="conditions"/> [B], raw absorption; needed only with noise bands).
    /// </summary>
    public static Tensor Sample(MdnOutput mixture, int samples, long seed, long first = 0, NoiseFactors? correlation = null, IReadOnlyList<float>? conditions = null)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Draw at least 1 sample per target.");
        if (first < 0) throw new ArgumentOutOfRangeException(nameof(first), first, "Draws are numbered from 0.");
        int b = (int)mixture.Count, k = (int)mixture.Components, l = (int)mixture.LatentDimension;
        var components = new long[(long)b * samples];
        var noise = new float[(long)b * samples * l];
        double[] logWeights;
        using (var cpu = mixture.LogWeights.detach().to_type(ScalarType.Float64).cpu().contiguous()) logWeights = cpu.data<double>().ToArray();

        var cumulative = new double[k];
        for (int row = 0; row < b; row++)
        {
            Categorical.Cumulative(logWeights.AsSpan(row * k, k), cumulative);
            var random = new SeededRandom(seed, SeededRandom.Purpose.MixtureSampling, row);
            random.Skip(first * SeededRandom.OutputsPerMixtureDraw(l));
            for (int n = 0; n < samples; n++)
            {
                long draw = (long)row * samples + n;
                components[draw] = Categorical.Pick(cumulative, random.NextDouble());
                StandardNormals(random, noise.AsSpan((int)(draw * l), l));
            }
        }

        if (correlation is { Count: > 1 })
        {
            if (conditions is null || conditions.Count != b)
                throw new ArgumentException($"Noise bands need the condition of each of the {b} rows; got {conditions?.Count ?? 0}.", nameof(conditions));
            var conditionOfDraw = new float[b * samples];
            for (int p = 0; p < conditionOfDraw.Length; p++) conditionOfDraw[p] = conditions[p / samples];
            NoiseCorrelation.Apply(correlation, conditionOfDraw, noise);
        }
        else NoiseCorrelation.Apply(correlation, [], noise);
        using var scope = NewDisposeScope();
        var device = mixture.Means.device;
        var index = tensor(components, [b, samples, 1], device: device).expand(b, samples, l);
        var eps = tensor(noise, [b, samples, l]).to(device);
        var means = mixture.Means.detach().gather(1, index);
        var sigmas = mixture.Sigmas.detach().gather(1, index);
        return means.Plus(sigmas.mul(eps)).MoveToOuterDisposeScope();
    }

    /// <summary>Fills <paramref name="values"/> with standard normals (Box-Muller on 53-bit uniforms).</summary>
    internal static void StandardNormals(SeededRandom random, Span<float> values) => random.StandardNormals(values);
}
