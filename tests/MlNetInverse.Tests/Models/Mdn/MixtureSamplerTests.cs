using MlNetInverse.Models.Mdn;
using MlNetInverse.Physics.Randomness;
using static MlNetInverse.Tests.Models.ModelTestData;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models.Mdn;

[Collection(TorchDeterminismCollection.Name)]
public sealed class MixtureSamplerTests
{
    // Each target: weight 0.3 on N((-2, 0), 0.2^2), 0.7 on N((2, 1), 0.5^2), 0 on a far component that must never appear.
    private static readonly float[] Weights = [0.3f, 0.7f, 0f];
    private static readonly float[,] Means = { { -2f, 0f }, { 2f, 1f }, { 50f, 50f } };
    private static readonly float[] Sigmas = [0.2f, 0.5f, 1f];
    private const double MixtureMean0 = 0.3 * -2 + 0.7 * 2;

    [Fact]
    public void GivenAHandMadeBimodalMixture_WhenSampled_ThenEachTargetsDrawsVisitBothModesInProportion_WithSigmaAsTheSpread()
    {
        using var mixture = HandMade(targets: 3);
        var samples = Values(MixtureSampler.Sample(mixture, 4000, seed: 12));
        Assert.Equal(3 * 4000 * 2, samples.Length);
        for (int t = 0; t < 3; t++)
        {
            var statistics = SampleStatistics.Of(samples, t, 4000, 2);
            Assert.Empty(statistics.Problems(0.7, 0.5, 0.2, MixtureMean0, weightTolerance: 0.03, sigmaTolerance: 0.03, meanTolerance: 0.08));
            Assert.Equal(1.0, statistics.UpperMean1, 1);
            Assert.Equal(0.0, statistics.LowerMean1, 1);
        }
        Assert.DoesNotContain(samples, v => v > 20); // the zero-weight component is never drawn
    }

    [Fact]
    public void GivenTheTwoPublishedSamplingPitfalls_WhenCheckedLikeTheSampler_ThenEachIsCaught_AndTheSamplerIsNot()
    {
        // The paper's regime: many targets, 30 draws each. A sampler that picks one component per target and draws all
        // 30 from it never shows both modes for a target; one that treats sigma as a variance spreads by sqrt(sigma).
        const int targets = 100, draws = 30;
        using var mixture = HandMade(targets);
        var sampler = Values(MixtureSampler.Sample(mixture, draws, seed: 4));
        var oneComponent = OneComponentPerTarget(targets, draws, seed: 4);
        var variance = SigmaAsVariance(targets, draws, seed: 4);

        Assert.True(BothModesFraction(sampler, targets, draws) > 0.95);
        Assert.True(BothModesFraction(oneComponent, targets, draws) < 0.05);

        using var many = HandMade(targets: 1);
        var check = (float[] s) => SampleStatistics.Of(s, 0, 4000, 2).Problems(0.7, 0.5, 0.2, MixtureMean0, 0.03, 0.03, 0.08);
        Assert.Empty(check(Values(MixtureSampler.Sample(many, 4000, seed: 8))));
        var spreadProblems = check(SigmaAsVariance(1, 4000, seed: 8));
        Assert.Contains(spreadProblems, p => p.StartsWith("upper-mode spread", StringComparison.Ordinal));
        Assert.Contains(spreadProblems, p => p.StartsWith("lower-mode spread", StringComparison.Ordinal));
        Assert.Contains(check(OneComponentPerTarget(1, 4000, seed: 8)), p => p.StartsWith("upper-mode fraction", StringComparison.Ordinal));
        Assert.True(BothModesFraction(variance, targets, draws) > 0.95); // that pitfall keeps the modes, only the spread is wrong
    }

    [Fact]
    public void GivenASeed_WhenSampledAgain_ThenTheDrawsAreBitIdentical_RowsDoNotDependOnTheBatch_AndMoreDrawsExtendFewer()
    {
        using var mixture = HandMade(targets: 3);
        var first = Values(MixtureSampler.Sample(mixture, 30, seed: 21));
        Assert.Equal(first, Values(MixtureSampler.Sample(mixture, 30, seed: 21)));
        Assert.NotEqual(first, Values(MixtureSampler.Sample(mixture, 30, seed: 22)));

        var ten = Values(MixtureSampler.Sample(mixture, 10, seed: 21));
        for (int t = 0; t < 3; t++)
            Assert.Equal(first.AsSpan(t * 60, 20).ToArray(), ten.AsSpan(t * 20, 20).ToArray());

        using var single = HandMade(targets: 1);
        Assert.Equal(first.AsSpan(0, 60).ToArray(), Values(MixtureSampler.Sample(single, 30, seed: 21)));
    }

    [Fact]
    public void GivenADrawOffset_WhenSampledInChunks_ThenEachChunkEqualsItsRowsOfOneBigDraw()
    {
        using var mixture = HandMade(targets: 3);
        var all = Values(MixtureSampler.Sample(mixture, 30, seed: 21));

        var chunk = Values(MixtureSampler.Sample(mixture, 12, seed: 21, first: 17));

        for (int t = 0; t < 3; t++)
            Assert.Equal(all.AsSpan(t * 60 + 17 * 2, 24).ToArray(), chunk.AsSpan(t * 24, 24).ToArray());
    }

    [Fact]
    public void GivenCumulativeWeights_WhenPicking_ThenTheFirstComponentAboveTheUniformIsChosen_AndEmptyOnesAreSkipped()
    {
        double[] cumulative = [0.3, 0.3, 1.0];
        Assert.Equal(0, Categorical.Pick(cumulative, 0.0));
        Assert.Equal(0, Categorical.Pick(cumulative, 0.2999));
        Assert.Equal(2, Categorical.Pick(cumulative, 0.3));
        Assert.Equal(2, Categorical.Pick(cumulative, 0.9999999));
    }

    /// <summary>The hand-made mixture, repeated for <paramref name="targets"/> targets.</summary>
    private static MdnOutput HandMade(int targets)
    {
        var logWeights = new float[targets * 3];
        var means = new float[targets * 3 * 2];
        var sigmas = new float[targets * 3 * 2];
        for (int t = 0; t < targets; t++)
        for (int k = 0; k < 3; k++)
        {
            logWeights[t * 3 + k] = MathF.Log(Weights[k]);
            for (int l = 0; l < 2; l++)
            {
                means[(t * 3 + k) * 2 + l] = Means[k, l];
                sigmas[(t * 3 + k) * 2 + l] = Sigmas[k];
            }
        }
        return new MdnOutput(tensor(logWeights, [targets, 3]), tensor(means, [targets, 3, 2]), tensor(sigmas, [targets, 3, 2]));
    }

    /// <summary>The GAN-MDN pitfall: one component per target, all draws from it.</summary>
    private static float[] OneComponentPerTarget(int targets, int draws, int seed)
    {
        var random = new Random(seed);
        var samples = new float[targets * draws * 2];
        for (int t = 0; t < targets; t++)
        {
            int k = random.NextDouble() < Weights[0] ? 0 : 1;
            for (int n = 0; n < draws; n++)
            for (int l = 0; l < 2; l++)
                samples[(t * draws + n) * 2 + l] = (float)(Means[k, l] + Sigmas[k] * Normal(random));
        }
        return samples;
    }

    /// <summary>The other GAN-MDN pitfall: a component per draw, but sigma used as the variance.</summary>
    private static float[] SigmaAsVariance(int targets, int draws, int seed)
    {
        var random = new Random(seed);
        var samples = new float[targets * draws * 2];
        for (int d = 0; d < targets * draws; d++)
        {
            int k = random.NextDouble() < Weights[0] ? 0 : 1;
            for (int l = 0; l < 2; l++) samples[d * 2 + l] = (float)(Means[k, l] + Math.Sqrt(Sigmas[k]) * Normal(random));
        }
        return samples;
    }

    private static double BothModesFraction(float[] samples, int targets, int draws) =>
        Enumerable.Range(0, targets).Count(t => SampleStatistics.Of(samples, t, draws, 2).UpperFraction is > 0 and < 1) / (double)targets;

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
