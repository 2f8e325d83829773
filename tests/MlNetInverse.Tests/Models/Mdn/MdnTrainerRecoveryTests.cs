using System.Diagnostics;
using MlNetInverse.Models.Mdn;
using Xunit.Abstractions;
using static MlNetInverse.Tests.Models.ModelTestData;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models.Mdn;

/// <summary>An MDN trained on pairs from <see cref="KnownMixture"/> must give back that mixture.</summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class MdnTrainerRecoveryTests(ITestOutputHelper output)
{
    private static readonly double[] Targets = [0.2, 0.5, 0.8];

    [Fact]
    public void GivenPairsFromAKnownBimodalMixture_WhenTrainedWithTwoComponents_ThenItsWeightsMeansAndSigmasAreTheTruths()
    {
        using var model = Train(components: 2, out var result);
        using var mixture = model.Mixture(tensor(Targets.Select(a => (float)a).ToArray()));
        var weights = Values(mixture.LogWeights).Select(v => Math.Exp(v)).ToArray();
        var means = Values(mixture.Means);
        var sigmas = Values(mixture.Sigmas);
        for (int t = 0; t < Targets.Length; t++)
        {
            double a = Targets[t];
            int up = means[t * 4] > means[t * 4 + 2] ? 0 : 1, low = 1 - up;
            float Mean(int k, int l) => means[(t * 2 + k) * 2 + l];
            float Sigma(int k, int l) => sigmas[(t * 2 + k) * 2 + l];
            output.WriteLine(
                $"a={a}: w+ {weights[t * 2 + up]:F3} (truth {KnownMixture.UpperWeight(a):F3}), mu+ ({Mean(up, 0):F3}, {Mean(up, 1):F3}), " +
                $"mu- ({Mean(low, 0):F3}, {Mean(low, 1):F3}), sigma+ ({Sigma(up, 0):F3}, {Sigma(up, 1):F3}), sigma- ({Sigma(low, 0):F3}, {Sigma(low, 1):F3})");

            Assert.Equal(KnownMixture.UpperWeight(a), weights[t * 2 + up], 0.05);
            Assert.Equal(KnownMixture.UpperMean(a).X, Mean(up, 0), 0.06);
            Assert.Equal(KnownMixture.UpperMean(a).Y, Mean(up, 1), 0.06);
            Assert.Equal(KnownMixture.LowerMean(a).X, Mean(low, 0), 0.08);
            Assert.Equal(KnownMixture.LowerMean(a).Y, Mean(low, 1), 0.08);
            for (int l = 0; l < 2; l++)
            {
                Assert.Equal(KnownMixture.UpperSigma, Sigma(up, l), 0.03);
                Assert.Equal(KnownMixture.LowerSigma, Sigma(low, l), 0.04);
            }
        }
    }

    [Fact]
    public void GivenPairsFromAKnownBimodalMixture_WhenTrainedWithSurplusComponents_ThenSamplesAndHeldOutLikelihoodMatchTheTruth()
    {
        using var model = Train(components: 8, out var result);
        double trueNll = -result.HeldOutIndices.Average(i => KnownMixture.LogDensity(Absorption[i], Latents[2 * i], Latents[2 * i + 1]));
        output.WriteLine($"held-out NLL {result.HeldOutNll:F3} nats, of the true density {trueNll:F3}; training NLL {result.TrainingNll:F3}");
        Assert.InRange(result.HeldOutNll - trueNll, -0.05, 0.08); // a held-out NLL far below the truth's would mean a leak

        const int draws = 4000;
        var samples = Values(model.Sample(tensor(Targets.Select(a => (float)a).ToArray()), draws, seed: 17));
        for (int t = 0; t < Targets.Length; t++)
        {
            double a = Targets[t];
            var statistics = SampleStatistics.Of(samples, t, draws, KnownMixture.LatentDimension);
            var (mean0, variance0) = KnownMixture.Dimension0(a);
            output.WriteLine($"a={a}: {statistics} (truth: upper fraction {KnownMixture.UpperWeight(a):F3}, mean {mean0:F3}, variance {variance0:F3})");
            Assert.Empty(statistics.Problems(
                KnownMixture.UpperWeight(a), KnownMixture.UpperSigma, KnownMixture.LowerSigma, mean0,
                weightTolerance: 0.05, sigmaTolerance: 0.04, meanTolerance: 0.2));
            Assert.Equal(variance0, statistics.Variance0, variance0 * 0.1);
            Assert.Equal(KnownMixture.UpperMean(a).Y, statistics.UpperMean1, 0.08);
            Assert.Equal(KnownMixture.LowerMean(a).Y, statistics.LowerMean1, 0.1);
        }
    }

    private static readonly (float[] Absorption, float[] Latents) Data = KnownMixture.Pairs(4000, seed: 1);
    private static float[] Absorption => Data.Absorption;
    private static float[] Latents => Data.Latents;

    private MixtureDensityNetwork Train(int components, out MdnTrainingResult result)
    {
        var trainer = new MdnTrainer(
            new MdnOptions { Components = components, HiddenUnits = 32, HiddenLayers = 2 },
            new MdnTrainingOptions { Epochs = 60, BatchSize = 128, LearningRate = 5e-3, Seed = 3, Threads = 1 });
        var watch = Stopwatch.StartNew();
        result = trainer.Train(Absorption, Latents);
        output.WriteLine($"K={components}: 60 epochs on {Absorption.Length - result.HeldOutIndices.Count} pairs in {watch.Elapsed.TotalSeconds:F1} s");
        return result.Model;
    }
}
