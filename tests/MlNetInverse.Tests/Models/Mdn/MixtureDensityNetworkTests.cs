using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Tests.Cli;
using static MlNetInverse.Tests.Models.ModelTestData;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models.Mdn;

[Collection(TorchDeterminismCollection.Name)]
public sealed class MixtureDensityNetworkTests
{
    private static readonly MdnOptions Small = new() { Components = 3, HiddenUnits = 8, HiddenLayers = 2, LatentDimension = 4 };

    [Fact]
    public void GivenAHandMadeMixture_WhenTheLossIsComputed_ThenItEqualsADirectLogSumExpOfGaussianDensities()
    {
        // Two targets, two components over L = 2; the second target sits 40 sigmas from everything, where every
        // component density underflows float32 and only a log-sum-exp stays finite.
        float[] weights = [0.25f, 0.75f, 0.6f, 0.4f];
        float[] means = [0f, 1f, 2f, -1f, /* target 2 */ 0f, 0f, 1f, 1f];
        float[] sigmas = [1f, 0.5f, 0.3f, 2f, /* target 2 */ 0.1f, 0.1f, 0.2f, 0.05f];
        float[] targets = [0.4f, -0.2f, 4f, 4f];
        using var mixture = new MdnOutput(tensor(weights.Select(w => MathF.Log(w)).ToArray(), [2, 2]), tensor(means, [2, 2, 2]), tensor(sigmas, [2, 2, 2]));
        var logLikelihood = Values(MdnLoss.LogLikelihood(mixture, tensor(targets, [2, 2])));

        for (int b = 0; b < 2; b++)
        {
            var terms = new double[2];
            for (int k = 0; k < 2; k++)
            {
                terms[k] = Math.Log(weights[b * 2 + k]);
                for (int l = 0; l < 2; l++)
                {
                    double mu = means[(b * 2 + k) * 2 + l], sigma = sigmas[(b * 2 + k) * 2 + l], y = targets[b * 2 + l];
                    terms[k] += -0.5 * Math.Pow((y - mu) / sigma, 2) - Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI);
                }
            }
            double max = terms.Max();
            double expected = max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
            Assert.Equal(expected, logLikelihood[b], Math.Abs(expected) * 2e-6 + 1e-5);
        }
        Assert.True(logLikelihood[1] < -700, "the far target is extremely unlikely but finite");
        Assert.Equal(-(logLikelihood[0] + logLikelihood[1]) / 2, Values(MdnLoss.NegativeLogLikelihood(mixture, tensor(targets, [2, 2])))[0], 3);
    }

    [Fact]
    public void GivenANormalisedNetwork_WhenAskedForLogLikelihood_ThenItIsTheDensityOfItsRawMixture()
    {
        using var model = new MixtureDensityNetwork(Small, seed: 5);
        model.SetNormalization(new MdnNormalization(0.5, 0.1, [1f, -2f, 0f, 3f], [0.5f, 2f, 1f, 0.1f], 0.3, 0.7));
        float[] absorption = [0.35f, 0.5f, 0.62f];
        var random = new Random(3);
        var latents = Enumerable.Range(0, 12).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();

        var logLikelihood = Values(model.LogLikelihood(tensor(absorption), tensor(latents, [3, 4])));
        using var mixture = model.Mixture(tensor(absorption));
        var w = Values(mixture.LogWeights);
        var mu = Values(mixture.Means);
        var sigma = Values(mixture.Sigmas);
        for (int b = 0; b < 3; b++)
        {
            double density = 0;
            for (int k = 0; k < 3; k++)
            {
                double log = w[b * 3 + k];
                for (int l = 0; l < 4; l++)
                {
                    int at = (b * 3 + k) * 4 + l;
                    log += -0.5 * Math.Pow((latents[b * 4 + l] - mu[at]) / sigma[at], 2) - Math.Log(sigma[at]) - 0.5 * Math.Log(2 * Math.PI);
                }
                density += Math.Exp(log);
            }
            Assert.Equal(Math.Log(density), logLikelihood[b], 3);
        }
        Assert.Equal(1.0, w.Take(3).Sum(v => MathF.Exp(v)), 5);
    }

    [Fact]
    public void GivenVeryNegativeSigmaOutputs_WhenForwarded_ThenSigmasStopAtTheFloor_AndAboveItTheyAreEluPlusOne()
    {
        using var model = new MixtureDensityNetwork(Small with { SigmaFloor = 0.05 }, seed: 1);
        SetSigmaHead(model, bias: -1000f);
        using var input = tensor(new float[] { -1f, 0f, 2f }, [3, 1]);
        using (var output = model.call(input))
        {
            Assert.Equal([3L, 3L], output.LogWeights.shape);
            Assert.Equal([3L, 3L, 4L], output.Means.shape);
            Assert.All(Values(output.Sigmas), s => Assert.Equal(0.05f, s));
        }
        SetSigmaHead(model, bias: 0.5f);
        using (var output = model.call(input)) Assert.All(Values(output.Sigmas), s => Assert.Equal(1.5f + 1e-6f, s, 6));
        SetSigmaHead(model, bias: -2f);
        using (var output = model.call(input)) Assert.All(Values(output.Sigmas), s => Assert.Equal(MathF.Exp(-2f) + 1e-6f, s, 6));
    }

    [Fact]
    public void GivenAMixture_WhenAskedForTheMostLikelyAndTheMeanLatent_ThenTheyComeFromTheHeaviestComponentAndTheWeightedSum()
    {
        using var model = new MixtureDensityNetwork(Small, seed: 9);
        using var absorption = tensor(new float[] { -0.5f, 0.3f });
        using var mixture = model.Mixture(absorption);
        var w = Values(mixture.LogWeights).Select(v => MathF.Exp(v)).ToArray();
        var mu = Values(mixture.Means);
        var mostLikely = Values(model.MostLikely(absorption));
        var mean = Values(model.MixtureMean(absorption));
        for (int b = 0; b < 2; b++)
        {
            int best = Enumerable.Range(0, 3).MaxBy(k => w[b * 3 + k]);
            for (int l = 0; l < 4; l++)
            {
                Assert.Equal(mu[(b * 3 + best) * 4 + l], mostLikely[b * 4 + l]);
                Assert.Equal(Enumerable.Range(0, 3).Sum(k => w[b * 3 + k] * mu[(b * 3 + k) * 4 + l]), mean[b * 4 + l], 5);
            }
        }
    }

    [Fact]
    public void GivenANetworkWithNormalisation_WhenSavedAndLoaded_ThenEveryOutputIsBitIdentical_AndOtherStreamsAreRejected()
    {
        using var model = new MixtureDensityNetwork(Small, seed: 2);
        model.SetNormalization(new MdnNormalization(0.55, 0.08, [1f, -2f, 0f, 3f], [0.5f, 2f, 1f, 0.1f], 0.31, 0.76));
        using var absorption = tensor(new float[] { 0.4f, 0.6f, 0.9f });
        using var latents = tensor(Enumerable.Range(0, 12).Select(i => 0.1f * i).ToArray(), [3, 4]);

        using var folder = new TempFolder();
        var path = folder.File("mdn.bin");
        model.Save(path);
        Assert.False(File.Exists(path + ".tmp"));
        using var loaded = MixtureDensityNetwork.Load(path);

        Assert.Equal(model.Options, loaded.Options);
        Assert.Equal(State(model), State(loaded));
        Assert.Equal(Values(model.Sample(absorption, 30, seed: 7)), Values(loaded.Sample(absorption, 30, seed: 7)));
        Assert.Equal(Values(model.LogLikelihood(absorption, latents)), Values(loaded.LogLikelihood(absorption, latents)));
        Assert.Equal(0.31, loaded.TrainingAbsorptionMin);
        Assert.Equal(0.76, loaded.TrainingAbsorptionMax);
        Assert.Equal(model.Normalization.LatentStandardDeviation, loaded.Normalization.LatentStandardDeviation);
        Assert.True(loaded.IsInTrainingRange(0.5));
        Assert.False(loaded.IsInTrainingRange(0.8));
        Assert.True(loaded.IsInTrainingRange(0.76));
        Assert.False(loaded.IsInTrainingRange(0.3));
        Assert.False(loaded.IsInTrainingRange(double.NaN));

        using var other = new MemoryStream();
        using (var vqvae = new VqVaeModel(TinyOptions())) vqvae.Save(other);
        other.Position = 0;
        Assert.Contains("VqVaeModel", Assert.Throws<InvalidDataException>(() => MixtureDensityNetwork.Load(other)).Message);
        var bytes = File.ReadAllBytes(path);
        using var truncated = new MemoryStream(bytes, 0, bytes.Length / 2);
        Assert.Throws<InvalidDataException>(() => MixtureDensityNetwork.Load(truncated));
        Assert.Throws<FileNotFoundException>(() => MixtureDensityNetwork.Load(folder.File("missing.bin")));
    }

    [Fact]
    public void GivenBadInputs_WhenTheNetworkIsAsked_ThenErrorsNameTheProblem()
    {
        using var model = new MixtureDensityNetwork(Small);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => model.Sample(tensor(new[] { 0.5f, float.NaN }), 30, 1)).Message);
        Assert.Contains("[B] or [B, 1]", Assert.Throws<ArgumentException>(() => model.Sample(tensor(new float[4], [2, 2]), 30, 1)).Message);
        Assert.Equal("samplesPerTarget", Assert.Throws<ArgumentOutOfRangeException>(() => model.Sample(tensor(new[] { 0.5f }), 0, 1)).ParamName);
        Assert.Contains("[2, 4]", Assert.Throws<ArgumentException>(() => model.LogLikelihood(tensor(new[] { 0.5f, 0.6f }), tensor(new float[6], [2, 3]))).Message);
        Assert.Contains("[B, 1]", Assert.Throws<ArgumentException>(() => model.call(tensor(new[] { 0.5f }))).Message);
        Assert.Contains("LatentDimension", Assert.Throws<ArgumentException>(() => new MixtureDensityNetwork(Small with { LatentDimension = 0 })).Message);
        Assert.Equal("Components", Assert.Throws<ArgumentException>(() => (Small with { Components = 0 }).Validate()).ParamName);
        Assert.Equal("SigmaFloor", Assert.Throws<ArgumentException>(() => (Small with { SigmaFloor = 0 }).Validate()).ParamName);
        Assert.Equal("HiddenLayers", Assert.Throws<ArgumentException>(() => (Small with { HiddenLayers = 0 }).Validate()).ParamName);
        Assert.Contains("LatentMean", Assert.Throws<ArgumentException>(() => model.SetNormalization(MdnNormalization.Identity(3))).Message);
    }

    [Fact]
    public void GivenTheSameSeed_WhenBuilt_ThenTheWeightsAreIdentical_AndTheInitialComponentsStartApart()
    {
        using var a = new MixtureDensityNetwork(Small, seed: 4);
        using var b = new MixtureDensityNetwork(Small, seed: 4);
        using var c = new MixtureDensityNetwork(Small, seed: 5);
        Assert.Equal(State(a), State(b));
        Assert.NotEqual(State(a), State(c));
        using var mixture = a.Mixture(tensor(new[] { 0f }));
        var means = Values(mixture.Means);
        double spread = Enumerable.Range(0, 4).Average(l => Math.Abs(means[l] - means[4 + l]) + Math.Abs(means[l] - means[8 + l]));
        Assert.True(spread > 0.5, $"initial components should not coincide (mean gap {spread:F3})");
    }

    private static void SetSigmaHead(MixtureDensityNetwork model, float bias)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name == "sigmas.weight") parameter.zero_();
            if (name == "sigmas.bias") parameter.fill_(bias);
        }
    }
}
