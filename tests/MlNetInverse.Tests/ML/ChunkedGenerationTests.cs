using MlNetInverse.ML.Generation;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;
using MlNetInverse.Workflows.Generation;

namespace MlNetInverse.Tests.ML;

/// <summary>
/// generate makes one target's designs in chunks of candidates (ChunkedGeneration): the designs must be those of the
/// scoring chain's Transform for that target, bit for bit, with and without the surrogate screen, while no chunk holds
/// more candidates than the chunk size.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class ChunkedGenerationTests
{
    private const int Block = MicrostructureDecodeTransformer.DecodeBlock;

    [Theory]
    [InlineData(300, 1)]
    [InlineData(100, 3)]
    public void GivenMoreCandidatesThanAChunk_WhenGeneratedInChunks_ThenTheDesignsEqualTheChainsBitForBit_AndNoChunkHoldsMore(int designs, int oversampling)
    {
        using var generator = TinyGenerator.Create();
        var model = GenerationModel.Of(generator.MlContext, generator.Chain(designs, oversampling), "tiny");
        var expected = model.Generate([0.55])[0];
        var chunked = model.Chunked(Block);

        var (images, predictions) = Collect(chunked, 0.55f);

        Assert.Equal(Bits(expected.Images.SelectMany(i => i)), Bits(images));
        Assert.Equal(Bits(expected.PredictedAbsorption), Bits(predictions));
        Assert.Equal(Block, chunked.LargestChunk);
        Assert.True(designs * oversampling > 2 * Block, "the run must take several chunks");
        Assert.True(expected.Images.Select(i => string.Concat(i.Select(p => p > 0.5f ? '1' : '0'))).Distinct().Count() > 1, "every design is the same map");
    }

    [Fact]
    public void GivenEveryCandidateInOneChunk_WhenGenerated_ThenTheChunkHoldsThemAll_AndTheDesignsEqualTheChains()
    {
        using var generator = TinyGenerator.Create();
        var model = GenerationModel.Of(generator.MlContext, generator.Chain(100, 3), "tiny");
        var chunked = model.Chunked(3 * Block);

        var (images, predictions) = Collect(chunked, 0.6f);

        var expected = model.Generate([0.6])[0];
        Assert.Equal(Bits(expected.Images.SelectMany(i => i)), Bits(images));
        Assert.Equal(Bits(expected.PredictedAbsorption), Bits(predictions));
        Assert.Equal(300, chunked.LargestChunk);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void GivenAScreenWithinVolumeFractionStrata_WhenGeneratedInOneOrSeveralChunks_ThenTheDesignsEqualTheChains(int chunks)
    {
        using var generator = TinyGenerator.Create();
        var model = GenerationModel.Of(generator.MlContext, generator.Chain(100, 3, volumeFractionStrata: 10), "tiny");
        var chunked = model.Chunked(chunks == 1 ? 3 * Block : Block);

        var (images, predictions) = Collect(chunked, 0.55f);

        var expected = model.Generate([0.55])[0];
        Assert.Equal(10, model.ScreenVolumeFractionStrata);
        Assert.Equal(Bits(expected.Images.SelectMany(i => i)), Bits(images));
        Assert.Equal(Bits(expected.PredictedAbsorption), Bits(predictions));
        var unstratified = GenerationModel.Of(generator.MlContext, generator.Chain(100, 3), "tiny").Generate([0.55])[0];
        Assert.NotEqual(Bits(unstratified.Images.SelectMany(i => i)), Bits(images)); // the strata chose other designs
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void GivenASoftScreen_WhenGeneratedInOneOrSeveralChunks_ThenTheDesignsEqualTheChainsAndDifferFromTheClosest(int chunks)
    {
        using var generator = TinyGenerator.Create();
        var model = GenerationModel.Of(generator.MlContext, generator.Chain(100, 3, screenSoftness: 0.1), "tiny");
        var chunked = model.Chunked(chunks == 1 ? 3 * Block : Block);

        var (images, predictions) = Collect(chunked, 0.55f);

        var expected = model.Generate([0.55])[0];
        Assert.Equal(0.1, model.ScreenSoftness);
        Assert.Equal(Bits(expected.Images.SelectMany(i => i)), Bits(images));
        Assert.Equal(Bits(expected.PredictedAbsorption), Bits(predictions));
        var closest = GenerationModel.Of(generator.MlContext, generator.Chain(100, 3), "tiny").Generate([0.55])[0];
        Assert.NotEqual(Bits(closest.PredictedAbsorption), Bits(predictions));
        // A variant for other designs and seeds keeps the softness (evaluate and morphology rebuild the model so).
        Assert.Equal(0.1, model.With(50, 9).ScreenSoftness);
    }

    [Fact]
    public void GivenTheScreensSecondPassRemakesEveryKeptMapInItsFirstPassDecoderCall_WhenGenerated_ThenTheDesignsAreUnchanged()
    {
        using var generator = TinyGenerator.Create();
        var model = GenerationModel.Of(generator.MlContext, generator.Chain(100, 3), "tiny");
        var normal = model.Chunked(Block);
        var remade = new ChunkedGeneration(model.Sampler, model.Decoder, 100, 3, Block) { RemakeEveryKeptMap = true };

        var expected = Collect(normal, 0.5f);
        var actual = Collect(remade, 0.5f);

        Assert.Equal(Bits(expected.Images), Bits(actual.Images));
        Assert.Equal(Bits(expected.Predictions), Bits(actual.Predictions));
        Assert.Equal(100, remade.RemadeMaps);
        Assert.Equal(0, normal.RemadeMaps);
    }

    [Fact]
    public void GivenAChunkThatIsNotWholeDecoderCalls_WhenConstructed_ThenItIsRefusedNamingTheCallSize()
    {
        using var generator = TinyGenerator.Create();
        var model = GenerationModel.Of(generator.MlContext, generator.Chain(10, 2), "tiny");

        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => model.Chunked(Block + 1));

        Assert.Contains($"multiple of {Block}", refused.Message);
    }

    private static (float[] Images, float[] Predictions) Collect(ChunkedGeneration chunked, float target)
    {
        var images = new List<float>();
        var predictions = new List<float>();
        int next = 0;
        foreach (var chunk in chunked.Generate(target))
        {
            Assert.Equal(next, chunk.First);
            Assert.True(chunk.Count <= chunked.ChunkSize, $"a chunk of {chunk.Count} designs");
            images.AddRange(chunk.Images);
            predictions.AddRange(chunk.Predictions);
            next += chunk.Count;
        }
        Assert.Equal(chunked.Designs, next);
        return (images.ToArray(), predictions.ToArray());
    }

    private static int[] Bits(IEnumerable<float> values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
