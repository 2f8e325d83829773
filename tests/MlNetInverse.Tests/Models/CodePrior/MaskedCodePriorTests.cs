using MlNetInverse.Models.CodePrior;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models.CodePrior;

[Collection(TorchDeterminismCollection.Name)]
public sealed class MaskedCodePriorTests
{
    private static readonly CodePriorOptions Small = new() { CodebookSize = 6, GridSize = 4, Width = 16, Layers = 2, Heads = 2 };

    [Fact]
    public void GivenAThreeByThreeGrid_WhenTorusOffsetsAreListed_ThenEachPairGetsItsOffsetModuloTheGrid()
    {
        var offsets = MaskedCodePrior.TorusOffsets(3);

        Assert.Equal(81, offsets.Length);
        Assert.Equal(0, offsets[4 * 9 + 4]); // a cell to itself
        Assert.Equal(2 * 3 + 1, offsets[0 * 9 + 7]); // (0, 0) -> (2, 1)
        Assert.Equal(1 * 3 + 1, offsets[8 * 9 + 0]); // (2, 2) -> (0, 0) wraps to (+1, +1)
        Assert.Equal(offsets[0 * 9 + 4], offsets[5 * 9 + 6]); // (1, 2) -> (2, 0) is the same step (+1, +1)
    }

    [Fact]
    public void GivenAPartlyMaskedGrid_WhenItIsShiftedCircularly_ThenThePriorsLogitsShiftWithIt()
    {
        using var prior = new MaskedCodePrior(Small, seed: 3);
        TrainedLikeWeights(prior);
        var random = new Random(5);
        var codes = Enumerable.Range(0, 2 * 16).Select(_ => (long)random.Next(Small.CodebookSize + 1)).ToArray();
        using var grid = tensor(codes, [2, 4, 4]);
        using var shifted = grid.roll([1, 3], [1, 2]);
        using var labels = tensor(new[] { 0.6f, float.NaN });

        using var logits = prior.call(grid.view(2, 16), labels).view(2, 4, 4, -1);
        using var shiftedLogits = prior.call(shifted.reshape(2, 16), labels).view(2, 4, 4, -1);
        using var expected = logits.roll([1, 3], [1, 2]);

        Assert.True(expected.allclose(shiftedLogits, rtol: 1e-4, atol: 1e-5), "a circular shift of the grid must shift the logits: the torus has no origin");
        // The check has teeth: the positions do matter, through the torus bias, so an unshifted grid gives other logits.
        using var unshiftedAgainstShifted = logits.sub(shiftedLogits).abs().max();
        Assert.True(unshiftedAgainstShifted.item<float>() > 1e-3f);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(40)]
    public void GivenAnyRoundCount_WhenGridsAreSampled_ThenEveryCellHoldsARealCode(int rounds)
    {
        using var prior = new MaskedCodePrior(Small, seed: 3);

        using var codes = prior.Sample([0.5f, 0.7f, float.NaN], [9, 10, 11], rounds);

        Assert.Equal(new long[] { 3, 16 }, codes.shape);
        var values = codes.data<long>().ToArray();
        Assert.All(values, c => Assert.InRange(c, 0, Small.CodebookSize - 1));
    }

    [Fact]
    public void GivenATinyPrior_WhenItsWorkIsCounted_ThenItIsTheLayersMultiplyAddsTimesTheRounds()
    {
        // W 4, one block, 2 x 2 cells, 3 codes: per cell 12 x 16 (projections) + 2 x 4 x 4 (attention) + 4 x 3 (head) = 236,
        // so 944 for the 4 cells; per grid 4 + 16 (label MLP) + 4 x 16 (FiLM) = 84; 1,028 per pass.
        using var prior = new MaskedCodePrior(new CodePriorOptions { CodebookSize = 3, GridSize = 2, Width = 4, Layers = 1, Heads = 1 });

        Assert.Equal(1028, prior.MultiplyAddsPerGrid(1));
        Assert.Equal(16 * 1028, prior.MultiplyAddsPerGrid(16));
        // The shipped shape: about 430 M per design at 16 rounds, 130-260 times the decoder.
        using var shipped = new MaskedCodePrior(new CodePriorOptions { CodebookSize = 512, GridSize = 8 });
        Assert.InRange(shipped.MultiplyAddsPerGrid(16), 420e6, 440e6);
    }

    [Fact]
    public void GivenTheSameStreams_WhenGridsAreSampledTwice_ThenTheyAreEqual_AndAnotherStreamGivesOthers()
    {
        using var prior = new MaskedCodePrior(Small, seed: 3);
        long[] Draw(long first)
        {
            using var codes = prior.Sample(Enumerable.Repeat(0.6f, 8).ToArray(), Enumerable.Range(0, 8).Select(i => first + i).ToArray(), 4);
            return codes.data<long>().ToArray();
        }

        Assert.Equal(Draw(1), Draw(1));
        Assert.NotEqual(Draw(1), Draw(100));
    }

    [Fact]
    public void GivenAGridsStream_WhenItIsSampledAloneOrAmongOthers_ThenItIsTheSameGrid()
    {
        using var prior = new MaskedCodePrior(Small, seed: 3);
        TrainedLikeWeights(prior);
        using var together = prior.Sample([0.5f, 0.6f, 0.7f], [21, 22, 23], 5);
        using var alone = prior.Sample([0.6f], [22], 5);

        // What a grid holds depends on its own stream and label only, so generation in chunks equals one big call.
        Assert.Equal(alone.data<long>().ToArray(), together[1].data<long>().ToArray());
        Assert.NotEqual(together[0].data<long>().ToArray(), together[1].data<long>().ToArray());
    }

    [Fact]
    public void GivenStreamsThatDoNotMatchTheLabels_WhenSampled_ThenTheMessageSaysOnePerGrid()
    {
        using var prior = new MaskedCodePrior(Small, seed: 3);

        var error = Assert.Throws<ArgumentException>(() => prior.Sample([0.5f, 0.6f], [1], 4));

        Assert.Contains("one stream per grid: 2 absorptions but 1 streams", error.Message);
    }

    [Fact]
    public void GivenASavedPrior_WhenLoaded_ThenItsLogitsAndTrainingRangeAreTheSame()
    {
        using var prior = new MaskedCodePrior(Small, seed: 4);
        TrainedLikeWeights(prior);
        prior.SetLabelScale(0.6, 0.05, 0.41, 0.83);
        using var stream = new MemoryStream();
        prior.Save(stream);
        stream.Position = 0;

        using var loaded = MaskedCodePrior.Load(stream);
        using var codes = tensor(Enumerable.Range(0, 16).Select(i => (long)(i % 7)).ToArray(), [1, 16]);
        using var labels = tensor(new[] { 0.7f });

        Assert.Equal(Small, loaded.Options);
        Assert.Equal(0.41, loaded.TrainingAbsorptionMin);
        Assert.Equal(0.83, loaded.TrainingAbsorptionMax);
        using var a = prior.call(codes, labels);
        using var b = loaded.call(codes, labels);
        Assert.True(a.allclose(b, 0, 0));
    }

    [Fact]
    public void GivenBytesThatAreNotAPrior_WhenLoaded_ThenTheErrorSaysSo()
    {
        using var stream = new MemoryStream([1, 2, 3, 4, 5, 6, 7, 8]);
        Assert.Throws<InvalidDataException>(() => MaskedCodePrior.Load(stream));
    }

    [Theory]
    [InlineData(96, 5, "Heads")]
    [InlineData(0, 1, "Width")]
    public void GivenAnInvalidArchitecture_WhenAPriorIsBuilt_ThenTheErrorNamesTheOption(int width, int heads, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => new MaskedCodePrior(Small with { Width = width, Heads = heads }));
        Assert.Contains($"CodePriorOptions.{named}", error.Message);
    }

    /// <summary>FiLM and the torus bias start at zero; give them values so the checks see every path.</summary>
    internal static void TrainedLikeWeights(MaskedCodePrior prior)
    {
        using var noGrad = no_grad();
        int i = 0;
        foreach (var (name, parameter) in prior.named_parameters())
            if (name.Contains("film") || name.Contains("torus"))
            {
                using var generator = new Generator(0);
                generator.manual_seed(100 + i++);
                using var values = randn(parameter.shape, generator: generator) * 0.3;
                parameter.copy_(values);
            }
    }
}
