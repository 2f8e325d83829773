using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Persistence;
using MlNetInverse.Models.VqVae;
using static MlNetInverse.Tests.Models.ModelTestData;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models;

[Collection(TorchDeterminismCollection.Name)]
public sealed class VolumeFractionReadoutTests
{
    private const int Length = 12;

    /// <summary>Seeded latents [n, 3, 2, 2] (L = 12) and volume fractions linear in them, plus noise of the given size.</summary>
    private static (Tensor Latents, Tensor VolumeFractions, float[] Weights) Linear(int n, int seed, double noise)
    {
        var random = new Random(seed);
        var weights = Enumerable.Range(0, Length).Select(i => (float)(0.05 * Math.Sin(i + 1))).ToArray();
        var latents = Enumerable.Range(0, n * Length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var fractions = Enumerable.Range(0, n).Select(r =>
            0.35f + Enumerable.Range(0, Length).Sum(i => weights[i] * latents[r * Length + i]) + (float)(noise * (random.NextDouble() - 0.5))).ToArray();
        return (tensor(latents, [n, 3, 2, 2]), tensor(fractions), weights);
    }

    [Fact]
    public void GivenVolumeFractionsLinearInTheLatents_WhenFitted_ThenFreshLatentsAreReadWithinTheNoise()
    {
        var (latents, fractions, weights) = Linear(400, seed: 1, noise: 0.01);
        var readout = VolumeFractionReadout.Fit(latents, fractions);
        var (fresh, truth, _) = Linear(50, seed: 2, noise: 0);

        using var read = readout.Read(fresh);

        Assert.Equal(Length, readout.LatentLength);
        Assert.InRange(read.sub(truth).abs().max().item<float>(), 0f, 0.003f);
        Assert.InRange(readout.Bias, 0.345f, 0.355f);
        for (int i = 0; i < Length; i++) Assert.InRange(readout.Weights[i], weights[i] - 0.003f, weights[i] + 0.003f);
        latents.Dispose(); fractions.Dispose(); fresh.Dispose(); truth.Dispose();
    }

    [Fact]
    public void GivenLatentsAskingForLessThanNothingOrMoreThanEverything_WhenRead_ThenTheFractionIsClampedToZeroAndOne()
    {
        var readout = new VolumeFractionReadout(Enumerable.Repeat(1f, Length).ToArray(), 0.5f);
        using var latents = tensor(Enumerable.Repeat(-1f, Length).Concat(Enumerable.Repeat(1f, Length)).Concat(Enumerable.Repeat(0f, Length)).ToArray(), [3, Length]);

        Assert.Equal([0f, 1f, 0.5f], readout.Read(latents).data<float>().ToArray());
        using var wrong = zeros(2, Length + 1);
        var error = Assert.Throws<ArgumentException>(() => readout.Read(wrong));
        Assert.Contains($"{Length} latent values", error.Message);
    }

    [Fact]
    public void GivenBadFittingData_WhenFitted_ThenTheErrorNamesTheProblem()
    {
        using var one = zeros(1, Length);
        using var fraction = zeros(1);
        Assert.Contains("at least 2 latents", Assert.Throws<ArgumentException>(() => VolumeFractionReadout.Fit(one, fraction)).Message);
        using var three = zeros(3, Length);
        Assert.Contains("got 3 latents and 1 volume fractions", Assert.Throws<ArgumentException>(() => VolumeFractionReadout.Fit(three, fraction)).Message);
        Assert.Throws<ArgumentException>(() => new VolumeFractionReadout([float.NaN], 0f));
    }

    [Fact]
    public void GivenAVqVaeWithAReadout_WhenSavedAndLoaded_ThenTheReadoutReadsTheSame_AndAVersion1StreamLoadsWithoutOne()
    {
        using var model = new VqVaeModel(TinyOptions(), seed: 5);
        var random = new Random(3);
        model.VolumeFractionReadout = new VolumeFractionReadout(Enumerable.Range(0, model.LatentLength).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), 0.3f);
        using var latents = randn(5, model.Options.CodeDimension, model.Options.LatentGridSize, model.Options.LatentGridSize, generator: new TorchSharp.torch.Generator(1));

        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        using var loaded = VqVaeModel.Load(stream, ComputeDevice.Cpu);

        Assert.Equal(model.VolumeFractionReadout.Read(latents).data<float>().ToArray(), loaded.VolumeFractionReadout!.Read(latents).data<float>().ToArray());
        Assert.Equal(model.DecodeDesigns(latents).data<float>().ToArray(), loaded.DecodeDesigns(latents).data<float>().ToArray());

        using var version1 = new MemoryStream();
        using (var writer = new BinaryWriter(version1, System.Text.Encoding.UTF8, leaveOpen: true))
            ModelStream.Save(model, writer, VqVaeModel.Kind, 1, model.Options);
        version1.Position = 0;
        using var old = VqVaeModel.Load(version1, ComputeDevice.Cpu);
        Assert.Null(old.VolumeFractionReadout);
        Assert.Equal(State(model), State(old));
    }

    [Fact]
    public void GivenDrawsBetweenCodes_WhenDecodedAsDesigns_ThenEachIsCutAtTheVolumeFractionOfItsSnappedCodes()
    {
        using var model = new VqVaeModel(TinyOptions(), seed: 5);
        var random = new Random(3);
        float scale = 0.6f / MathF.Sqrt(model.LatentLength);
        model.VolumeFractionReadout = new VolumeFractionReadout(Enumerable.Range(0, model.LatentLength).Select(_ => ((float)random.NextDouble() - 0.5f) * scale).ToArray(), 0.4f);
        using var noGrad = no_grad();
        using var draws = randn(8, model.Options.CodeDimension, model.Options.LatentGridSize, model.Options.LatentGridSize, generator: new TorchSharp.torch.Generator(1));
        using var codes = model.Quantizer.Lookup(model.Quantizer.NearestIndicesForDecoding(draws));
        using var probabilities = model.DecodeContinuous(draws);

        using var atCodes = DesignBinarization.Binarize(probabilities, model.VolumeFractionReadout.Read(codes));
        using var atDraws = DesignBinarization.Binarize(probabilities, model.VolumeFractionReadout.Read(draws));
        using var designs = model.DecodeDesigns(draws);

        // The readout was fitted on quantized latents: it reads what the decoder sees, not the raw draw.
        Assert.Equal(atCodes.data<float>().ToArray(), designs.data<float>().ToArray());
        Assert.NotEqual(atDraws.data<float>().ToArray(), designs.data<float>().ToArray());
    }

    [Fact]
    public void GivenAReadoutForOtherLatents_WhenSetOnAVqVae_ThenTheErrorNamesBothLengths()
    {
        using var model = new VqVaeModel(TinyOptions(), seed: 5);
        var error = Assert.Throws<ArgumentException>(() => model.VolumeFractionReadout = new VolumeFractionReadout(new float[model.LatentLength + 1], 0f));
        Assert.Contains($"{model.LatentLength + 1}", error.Message);
        Assert.Contains($"{model.LatentLength}", error.Message);

        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) new VolumeFractionReadout(new float[7], 0f).Write(writer);
        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        Assert.Contains("7 weights", Assert.Throws<InvalidDataException>(() => VolumeFractionReadout.Read(reader, 8)).Message);
    }
}
