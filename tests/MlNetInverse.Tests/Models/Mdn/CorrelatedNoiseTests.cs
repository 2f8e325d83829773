using MlNetInverse.Models.Mdn;
using MlNetInverse.Physics.Randomness;
using MlNetInverse.Tests.Onnx;
using static MlNetInverse.Tests.Models.ModelTestData;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models.Mdn;

[Collection(TorchDeterminismCollection.Name)]
public sealed class CorrelatedNoiseTests
{
    // Latent values 0 and 1 share one noise term, value 2 has its own; the means do not depend on absorption, so one
    // component fits them exactly and the residuals are the noise.
    private static (float[] Absorption, float[] Latents) SharedNoisePairs(int count)
    {
        var random = new SeededRandom(21, 3);
        var absorption = new float[count];
        var latents = new float[count * 3];
        var normals = new float[2];
        for (int i = 0; i < count; i++)
        {
            absorption[i] = (float)(0.4 + 0.4 * random.NextDouble());
            random.StandardNormals(normals);
            latents[3 * i] = 0.5f + 0.3f * normals[0];
            latents[3 * i + 1] = -0.2f + 0.3f * normals[0];
            latents[3 * i + 2] = 0.3f * normals[1];
        }
        return (absorption, latents);
    }

    private static MdnTrainingOptions Training => new() { Epochs = 40, BatchSize = 64, LearningRate = 1e-2, Seed = 2, Threads = 1 };

    private static double Correlation(float[] values, int l, int a, int b)
    {
        int n = values.Length / l;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) { ma += values[i * l + a]; mb += values[i * l + b]; }
        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++)
        {
            double da = values[i * l + a] - ma, db = values[i * l + b] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        return sab / Math.Sqrt(saa * sbb);
    }

    [Fact]
    public void GivenLatentValuesThatShareTheirNoise_WhenTrainedWithCorrelatedNoise_ThenTheFactorHoldsTheirCorrelationAndDrawsKeepIt()
    {
        var (absorption, latents) = SharedNoisePairs(600);
        var options = new MdnOptions { Components = 1, HiddenUnits = 16, HiddenLayers = 1 };
        using var correlated = new MdnTrainer(options with { CorrelatedNoise = true }, Training).Train(absorption, latents).Model;
        using var independent = new MdnTrainer(options, Training).Train(absorption, latents).Model;

        var factor = tensor(correlated.NoiseFactor()!, [3, 3]);
        var r = factor.matmul(factor.t()).data<float>().ToArray();
        Assert.All(new[] { r[0], r[4], r[8] }, d => Assert.Equal(1, d, 4));
        Assert.True(r[1] > 0.85, $"values 0 and 1 move together in the data: shrunk correlation {r[1]:F3}");
        Assert.True(Math.Abs(r[2]) < 0.15, $"value 2 has its own noise: {string.Join(" ", r.Select(v => v.ToString("F3")))}");
        Assert.Null(independent.NoiseFactor());

        var draws = correlated.Sample(tensor(new[] { 0.6f }), 2000, seed: 4).contiguous().data<float>().ToArray();
        var plain = independent.Sample(tensor(new[] { 0.6f }), 2000, seed: 4).contiguous().data<float>().ToArray();
        Assert.True(Correlation(draws, 3, 0, 1) > 0.7, $"correlated draws: {Correlation(draws, 3, 0, 1):F3}");
        using var paper = correlated.WithIndependentNoise();
        var paperDraws = paper.Sample(tensor(new[] { 0.6f }), 2000, seed: 4).contiguous().data<float>().ToArray();
        Assert.Null(paper.NoiseFactor());
        Assert.InRange(Correlation(paperDraws, 3, 0, 1), -0.1, 0.1);
        var weights = correlated.state_dict();
        Assert.All(paper.state_dict(), entry => Assert.Equal(Values(weights[entry.Key]), Values(entry.Value)));
        Assert.Equal(weights.Count - 1, paper.state_dict().Count);
        Assert.InRange(Correlation(plain, 3, 0, 1), -0.1, 0.1);
    }

    [Fact]
    public void GivenAFactor_WhenSavedAndLoaded_ThenItComesBack_AndANetworkWithoutTheOptionHasNoneToSet()
    {
        using var network = new MixtureDensityNetwork(new MdnOptions { Components = 2, HiddenUnits = 4, LatentDimension = 5, CorrelatedNoise = true }, seed: 1);
        Assert.Equal(eye(5).data<float>().ToArray(), network.NoiseFactor());
        using var factor = TinyGenerator.RandomCholeskyFactor(5, new Random(3));
        network.SetNoiseFactor(factor);
        using var stream = new MemoryStream();
        network.Save(stream);
        stream.Position = 0;
        using var loaded = MixtureDensityNetwork.Load(stream);
        Assert.Equal(factor.data<float>().ToArray(), loaded.NoiseFactor());

        using var plain = new MixtureDensityNetwork(new MdnOptions { Components = 2, HiddenUnits = 4, LatentDimension = 5 }, seed: 1);
        Assert.DoesNotContain(plain.named_buffers(), b => b.name == "noise_factor");
        Assert.Contains("independent noise", Assert.Throws<InvalidOperationException>(() => plain.SetNoiseFactor(factor)).Message);
        Assert.Contains("lower-triangular", Assert.Throws<ArgumentException>(() => network.SetNoiseFactor(factor.t())).Message);
        Assert.Contains("[5, 5]", Assert.Throws<ArgumentException>(() => network.SetNoiseFactor(eye(4))).Message);
    }

    [Theory]
    [InlineData(13, 1)]
    [InlineData(13, 7)]
    [InlineData(13, 200)]
    [InlineData(512, 75)]
    public void GivenDrawsInAnyBatch_WhenCorrelated_ThenEachDrawIsCEOfItsOwnNormals_BitForBitAsWhenAlone(int l, int draws)
    {
        var random = new SeededRandom(5, 1);
        var factor = new float[l * l];
        for (int i = 0; i < l; i++)
            for (int j = 0; j <= i; j++) factor[i * l + j] = (float)(random.NextDouble() - 0.5);
        var normals = new float[draws * l];
        random.StandardNormals(normals);

        var together = (float[])normals.Clone();
        NoiseCorrelation.Apply(factor, l, together);

        for (int p = 0; p < draws; p++)
        {
            var alone = normals.AsSpan(p * l, l).ToArray();
            NoiseCorrelation.Apply(factor, l, alone);
            Assert.Equal(alone, together.AsSpan(p * l, l).ToArray());
            for (int i = 0; i < l; i++)
            {
                double expected = 0;
                for (int j = 0; j <= i; j++) expected += (double)factor[i * l + j] * normals[p * l + j];
                Assert.True(Math.Abs(expected - alone[i]) <= 1e-4 * (1 + Math.Abs(expected)), $"draw {p} value {i}: {alone[i]} against {expected}");
            }
        }
    }

    [Theory]
    [InlineData(13, 9)]
    [InlineData(40, 150)]
    public void GivenDrawsOfSeveralBands_WhenCorrelatedTogether_ThenEachDrawIsItsBandsFactorTimesItsNormals_BitForBitAsWhenAlone(int l, int draws)
    {
        var random = new SeededRandom(8, 2);
        var factors = Enumerable.Range(0, 3).Select(_ =>
        {
            var factor = new float[l * l];
            for (int i = 0; i < l; i++)
                for (int j = 0; j <= i; j++) factor[i * l + j] = (float)(random.NextDouble() - 0.5);
            return factor;
        }).ToArray();
        var bands = new NoiseFactors(factors, [0.45, 0.6, 0.75], l);
        var conditions = Enumerable.Range(0, draws).Select(_ => (float)(0.4 + 0.4 * random.NextDouble())).ToArray();
        var normals = new float[draws * l];
        random.StandardNormals(normals);

        var together = (float[])normals.Clone();
        NoiseCorrelation.Apply(bands, conditions, together);

        Assert.True(conditions.Select(bands.BandOf).Distinct().Count() > 1, "the draws span several bands");
        for (int p = 0; p < draws; p++)
        {
            var alone = normals.AsSpan(p * l, l).ToArray();
            NoiseCorrelation.Apply(bands.For(conditions[p]), l, alone);
            Assert.Equal(alone, together.AsSpan(p * l, l).ToArray());
        }
        Assert.Contains("conditions", Assert.Throws<ArgumentException>(() => NoiseCorrelation.Apply(bands, conditions.AsSpan(1), (float[])normals.Clone())).Message);
    }

    // Latent values 0 and 1 move together below absorption 0.6 and against each other above it.
    private static (float[] Absorption, float[] Latents) FlippingPairs(int count)
    {
        var random = new SeededRandom(23, 3);
        var absorption = new float[count];
        var latents = new float[count * 2];
        var normals = new float[2];
        for (int i = 0; i < count; i++)
        {
            absorption[i] = (float)(0.4 + 0.4 * random.NextDouble());
            random.StandardNormals(normals);
            float sign = absorption[i] < 0.6f ? 1 : -1;
            latents[2 * i] = 0.3f * normals[0];
            latents[2 * i + 1] = sign * 0.3f * normals[0] + 0.05f * normals[1];
        }
        return (absorption, latents);
    }

    [Fact]
    public void GivenACorrelationThatFlipsWithAbsorption_WhenTrainedWithNoiseBands_ThenEndBandsHoldOppositeSigns_AndOneCorrelationAveragesThemAway()
    {
        var (absorption, latents) = FlippingPairs(1200);
        var options = new MdnOptions { Components = 1, HiddenUnits = 16, HiddenLayers = 1, CorrelatedNoise = true };
        using var banded = new MdnTrainer(options with { NoiseBands = 5 }, Training).Train(absorption, latents).Model;
        using var shared = new MdnTrainer(options, Training).Train(absorption, latents).Model;

        var factors = banded.NoiseFactors()!;
        Assert.Equal(5, factors.Count);
        Assert.Equal(absorption.Min(), factors.Centres[0], 2);
        Assert.Equal(absorption.Max(), factors.Centres[^1], 2);
        double Shrunk(float[] c) => c[2] * c[0] + c[3] * c[1]; // (C C^T)[1, 0] for a 2 x 2 lower-triangular C
        Assert.True(Shrunk(factors.Factor(0)) > 0.8, $"low band: {Shrunk(factors.Factor(0)):F3}");
        Assert.True(Shrunk(factors.Factor(4)) < -0.8, $"high band: {Shrunk(factors.Factor(4)):F3}");
        Assert.InRange(Shrunk(shared.NoiseFactor()!), -0.3, 0.3);

        var low = banded.Sample(tensor(new[] { 0.42f }), 2000, seed: 4).contiguous().data<float>().ToArray();
        var high = banded.Sample(tensor(new[] { 0.78f }), 2000, seed: 4).contiguous().data<float>().ToArray();
        Assert.True(Correlation(low, 2, 0, 1) > 0.7, $"draws at 0.42: {Correlation(low, 2, 0, 1):F3}");
        Assert.True(Correlation(high, 2, 0, 1) < -0.7, $"draws at 0.78: {Correlation(high, 2, 0, 1):F3}");
        using var paper = banded.WithIndependentNoise();
        Assert.Null(paper.NoiseFactors());
        Assert.InRange(Correlation(paper.Sample(tensor(new[] { 0.78f }), 2000, seed: 4).contiguous().data<float>().ToArray(), 2, 0, 1), -0.1, 0.1);
    }

    [Fact]
    public void GivenLabelsWithAWideGap_WhenTrainedWithMoreBandsThanTheGapHoldsPairs_ThenEveryBandIsAFiniteCholeskyFactor()
    {
        var (absorption, latents) = FlippingPairs(400);
        for (int i = 0; i < absorption.Length; i++) absorption[i] = absorption[i] < 0.6f ? 0.40f + (absorption[i] - 0.4f) / 8 : 0.80f - (0.8f - absorption[i]) / 8;
        var options = new MdnOptions { Components = 1, HiddenUnits = 8, HiddenLayers = 1, CorrelatedNoise = true, NoiseBands = 24 };
        using var banded = new MdnTrainer(options, Training with { Epochs = 2 }).Train(absorption, latents).Model;

        var factors = banded.NoiseFactors()!;
        Assert.Equal(24, factors.Count);
        for (int b = 0; b < factors.Count; b++)
        {
            var c = factors.Factor(b);
            Assert.All(c, v => Assert.True(float.IsFinite(v)));
            Assert.True(c[0] > 0 && c[3] > 0, $"band {b} at {factors.Centres[b]:F3}: diagonal {c[0]}, {c[3]}");
            Assert.Equal(0, c[1]);
        }
    }

    [Fact]
    public void GivenNoiseBands_WhenSavedAndLoaded_ThenFactorsAndCentresComeBack_AndWrongInputIsRefusedByName()
    {
        var options = new MdnOptions { Components = 2, HiddenUnits = 4, LatentDimension = 5, CorrelatedNoise = true, NoiseBands = 3 };
        using var network = new MixtureDensityNetwork(options, seed: 1);
        Assert.Equal(3, network.NoiseFactors()!.Count);
        using var factors = stack([TinyGenerator.RandomCholeskyFactor(5, new Random(3)), TinyGenerator.RandomCholeskyFactor(5, new Random(4)), eye(5)]);
        network.SetNoiseFactors(factors, [0.45, 0.6, 0.75]);
        using var stream = new MemoryStream();
        network.Save(stream);
        stream.Position = 0;
        using var loaded = MixtureDensityNetwork.Load(stream);
        var back = loaded.NoiseFactors()!;
        Assert.Equal([0.45, 0.6, 0.75], back.Centres);
        for (int b = 0; b < 3; b++) Assert.Equal(factors[b].data<float>().ToArray(), back.Factor(b));

        Assert.Contains("SetNoiseFactors", Assert.Throws<ArgumentException>(() => network.SetNoiseFactor(eye(5))).Message);
        Assert.Contains("NoiseFactors()", Assert.Throws<InvalidOperationException>(() => network.NoiseFactor()).Message);
        Assert.Contains("ascending", Assert.Throws<ArgumentException>(() => network.SetNoiseFactors(factors, [0.6, 0.45, 0.75])).Message);
        Assert.Contains("[3, 5, 5]", Assert.Throws<ArgumentException>(() => network.SetNoiseFactors(eye(5), [0.45, 0.6, 0.75])).Message);
        Assert.Contains("NoiseBands", Assert.Throws<ArgumentException>(() => (options with { CorrelatedNoise = false }).Validate()).Message);
        Assert.Contains("NoiseBands", Assert.Throws<ArgumentException>(() => (options with { NoiseBands = 65 }).Validate()).Message);
        using var single = new MixtureDensityNetwork(options with { NoiseBands = 0 }, seed: 1);
        Assert.Contains("no noise bands", Assert.Throws<InvalidOperationException>(() => single.SetNoiseFactors(factors, [0.45, 0.6, 0.75])).Message);
    }
}
