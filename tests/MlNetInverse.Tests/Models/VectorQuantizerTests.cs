using MlNetInverse.Models.Quantization;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static MlNetInverse.Tests.Models.ModelTestData;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models;

public sealed class VectorQuantizerTests
{
    [Fact]
    public void GivenAKnownCodebook_WhenQuantizing_ThenEveryGridVectorGetsItsNearestCode()
    {
        using var quantizer = new VectorQuantizer(TinyOptions() with { CodebookSize = 4, CodeDimension = 2 });
        quantizer.eval();
        SetCodebook(quantizer, new float[,] { { 0, 0 }, { 1, 0 }, { 0, 1 }, { 5, 5 } });
        // One image, 2x2 grid, vectors (0.9, 0.1) (0.1, 0.2) (0.2, 0.8) (4, 6): nearest codes 1, 0, 2, 3.
        using var latents = tensor(new float[] { 0.9f, 0.1f, 0.2f, 4f, 0.1f, 0.2f, 0.8f, 6f }, [1, 2, 2, 2]);

        var output = quantizer.call(latents);

        Assert.Equal(new long[] { 1, 0, 2, 3 }, output.Indices.data<long>().ToArray());
        Assert.Equal(new float[] { 1, 0, 0, 5, 0, 0, 1, 5 }, Values(output.Quantized));
    }

    [Fact]
    public void GivenTwoEqualCodes_WhenSnapping_ThenTheLowerIndexWins_InTrainingAndInDecoding()
    {
        // The nearest search keeps the first of equal distances, in training and in decoding, so a duplicated code never
        // makes the chosen index depend on the reduction kernel.
        using var quantizer = new VectorQuantizer(TinyOptions() with { CodebookSize = 4, CodeDimension = 2 });
        quantizer.eval();
        SetCodebook(quantizer, new float[,] { { 5, 5 }, { 1, 2 }, { 0, 0 }, { 1, 2 } });
        using var latents = tensor(new float[] { 1, 1, 1, 1, 2, 2, 2, 2 }, [1, 2, 2, 2]);

        using var nearest = quantizer.NearestIndices(latents);
        var trained = quantizer.call(latents);

        using var decoding = quantizer.NearestIndicesForDecoding(latents);

        Assert.Equal(new long[] { 1, 1, 1, 1 }, nearest.data<long>().ToArray());
        Assert.Equal(new long[] { 1, 1, 1, 1 }, trained.Indices.data<long>().ToArray());
        Assert.Equal(new long[] { 1, 1, 1, 1 }, decoding.data<long>().ToArray());
    }

    [Fact]
    public void GivenEqualCodesInOtherLanesAndBlocks_WhenSnappedForDecoding_ThenTheLowerIndexWins()
    {
        // The .NET search keeps a minimum per vector lane and block: codes 3 and 12 sit in different lanes, codes 9 and
        // 40 in different blocks of 32; torch's search and the decoding one must both pick 3 and 9.
        using var quantizer = new VectorQuantizer(TinyOptions() with { CodebookSize = 64, CodeDimension = 2 });
        quantizer.eval();
        var codes = new float[64, 2];
        for (int c = 0; c < 64; c++) (codes[c, 0], codes[c, 1]) = (100 + c, -50 - c);
        (codes[3, 0], codes[3, 1], codes[12, 0], codes[12, 1]) = (1, 2, 1, 2);
        (codes[9, 0], codes[9, 1], codes[40, 0], codes[40, 1]) = (0, 0, 0, 0);
        SetCodebook(quantizer, codes);
        using var latents = tensor(new float[] { 1, 0, 0.9f, 0.1f, 2, 0, 2.1f, -0.1f }, [1, 2, 2, 2]);

        Assert.Equal(new long[] { 3, 9, 3, 9 }, quantizer.NearestIndices(latents).data<long>().ToArray());
        Assert.Equal(new long[] { 3, 9, 3, 9 }, quantizer.NearestIndicesForDecoding(latents).data<long>().ToArray());
    }

    [Theory]
    [InlineData(512, 8)]
    [InlineData(64, 3)]
    [InlineData(13, 3)]
    public void GivenRandomDraws_WhenSnappedForDecoding_ThenEachTakesTheNearestCode_ExceptAtTiesWithinRounding(int codes, int dimension)
    {
        // Decoding snaps in .NET where it can (CodeSnapping: AVX2 + FMA, codebooks in steps of 32; 13 codes take torch's
        // search) and may differ from the training search only where two codes are equally near up to float rounding.
        using var quantizer = new VectorQuantizer(TinyOptions() with { CodebookSize = codes, CodeDimension = dimension });
        quantizer.eval();
        using var latents = Latents(20, dimension, 8, seed: 13, scale: 1.5 / codes);

        var decoding = quantizer.NearestIndicesForDecoding(latents).data<long>().ToArray();
        var training = quantizer.NearestIndices(latents).data<long>().ToArray();

        var codebook = Values(quantizer.Codebook);
        using var flat = latents.permute(0, 2, 3, 1).reshape(-1, dimension).contiguous();
        var z = Values(flat);
        double Distance(int row, long code)
        {
            double sum = 0;
            for (int d = 0; d < dimension; d++)
            {
                double diff = z[row * dimension + d] - codebook[code * dimension + d];
                sum += diff * diff;
            }
            return sum;
        }
        int differing = 0;
        for (int row = 0; row < decoding.Length; row++)
        {
            double best = Enumerable.Range(0, codes).Min(c => Distance(row, c));
            Assert.True(Distance(row, decoding[row]) - best <= 1e-6 * (1 + best), $"row {row}: code {decoding[row]} is not the nearest");
            if (decoding[row] != training[row]) differing++;
        }
        Assert.True(differing <= decoding.Length / 100, $"{differing} of {decoding.Length} rows snapped differently from the training search");
    }

    [Fact]
    public void GivenRandomLatents_WhenQuantizing_ThenIndicesMatchABruteForceNearestSearch()
    {
        using var quantizer = new VectorQuantizer(TinyOptions() with { CodebookSize = 16, CodeDimension = 3 });
        quantizer.eval();
        using var latents = Latents(3, 3, 4, seed: 7, scale: 0.2);

        var indices = quantizer.call(latents).Indices.data<long>().ToArray();

        var codebook = Values(quantizer.Codebook);
        var z = Values(latents);
        int i = 0;
        for (int b = 0; b < 3; b++)
        for (int x = 0; x < 4; x++)
        for (int y = 0; y < 4; y++, i++)
        {
            int best = 0;
            double bestDistance = double.MaxValue;
            for (int k = 0; k < 16; k++)
            {
                double distance = 0;
                for (int d = 0; d < 3; d++)
                {
                    double diff = z[((b * 3 + d) * 4 + x) * 4 + y] - codebook[k * 3 + d];
                    distance += diff * diff;
                }
                if (distance < bestDistance) (best, bestDistance) = (k, distance);
            }
            Assert.Equal(best, indices[i]);
        }
    }

    [Fact]
    public void GivenMoreGridVectorsThanOneBlock_WhenSnapped_ThenEveryIndexEqualsTheOneFromAllDistancesAtOnce()
    {
        using var quantizer = new VectorQuantizer(TinyOptions() with { CodebookSize = 64, CodeDimension = 4 });
        quantizer.eval();
        // 41 x 8 x 8 = 2,624 grid vectors: one whole block of VectorQuantizer.RowsPerBlock and a partial one.
        using var latents = Latents(41, 4, 8, seed: 11, scale: 0.3);
        Assert.True(41 * 64 > VectorQuantizer.RowsPerBlock);

        var blocked = quantizer.NearestIndices(latents).data<long>().ToArray();

        using var flat = latents.permute(0, 2, 3, 1).reshape(-1, 4);
        using var codebook = quantizer.Codebook.detach();
        using var norms = codebook.pow(2).sum(1L).unsqueeze(0);
        using var distances = addmm(norms, flat, codebook.t(), beta: 1, alpha: -2);
        Assert.Equal(distances.min(1L).indexes.data<long>().ToArray(), blocked);
        Assert.Equal(2624, blocked.Length);
    }

    [Fact]
    public void GivenLatentsThatNeedGradients_WhenBackpropagatingThroughTheQuantizedOutput_ThenTheGradientIsTheIdentity()
    {
        using var quantizer = new VectorQuantizer(TinyOptions());
        using var latents = Latents(2, 3, 4, seed: 3).requires_grad_(true);
        using var weights = Latents(2, 3, 4, seed: 4);

        var output = quantizer.call(latents);
        output.Quantized.mul(weights).sum().Backpropagate();

        Assert.Equal(Values(weights), Values(latents.grad!));
    }

    [Fact]
    public void GivenEmaUpdates_WhenRunInTrainingMode_ThenTheCodebookMoves_AndInEvalModeItStaysBitIdentical()
    {
        using var quantizer = new VectorQuantizer(TinyOptions(QuantizerUpdate.Ema));
        using var latents = Latents(4, 3, 4, seed: 11);
        var before = State(quantizer);

        quantizer.eval();
        quantizer.call(latents);
        Assert.Equal(before, State(quantizer));

        quantizer.train();
        var codebookBefore = Values(quantizer.Codebook);
        quantizer.call(latents);
        Assert.NotEqual(codebookBefore, Values(quantizer.Codebook));
        Assert.Equal(1, quantizer.UpdateCount);
    }

    [Fact]
    public void GivenEmaUpdates_WhenOneCodeIsChosenRepeatedly_ThenItMovesTowardsTheMeanOfItsVectors()
    {
        using var quantizer = new VectorQuantizer(TinyOptions(QuantizerUpdate.Ema) with { CodebookSize = 2, CodeDimension = 1, EmaDecay = 0.5 });
        SetCodebook(quantizer, new float[,] { { 0 }, { 10 } });
        using var latents = full(1, 1, 4, 4, 2f); // every vector is 2: code 0 is nearest
        quantizer.train();
        for (int i = 0; i < 10; i++) quantizer.call(latents);
        var codes = Values(quantizer.Codebook);
        Assert.InRange(codes[0], 1.99f, 2.01f);
        Assert.InRange(codes[1], 9.8f, 10.01f); // an unused code stays put while its count is well above LaplaceEpsilon
    }

    [Fact]
    public void GivenTheCodebookLossUpdate_WhenTraining_ThenTheCodebookIsAParameterThatGetsAGradient()
    {
        using var quantizer = new VectorQuantizer(TinyOptions(QuantizerUpdate.CodebookLoss));
        using var latents = Latents(2, 3, 4, seed: 5);
        quantizer.train();
        var output = quantizer.call(latents);
        output.CodebookLoss.Backpropagate();
        Assert.Single(quantizer.parameters());
        Assert.NotNull(quantizer.Codebook.grad);
        Assert.True(quantizer.Codebook.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void GivenACodeThatIsNeverChosen_WhenTheDeadCodeThresholdPasses_ThenItRestartsOnAnEncoderOutputOfTheBatch()
    {
        using var quantizer = new VectorQuantizer(TinyOptions(QuantizerUpdate.Ema, deadCodeThreshold: 2) with { CodebookSize = 3, CodeDimension = 2 });
        SetCodebook(quantizer, new float[,] { { 0, 0 }, { 1, 1 }, { 100, 100 } });
        using var latents = Latents(2, 2, 4, seed: 9, scale: 1.5);
        var vectors = Values(latents.permute(0, 2, 3, 1).reshape(-1, 2));
        quantizer.train();

        quantizer.call(latents);
        Assert.All(Values(quantizer.Codebook)[4..6], v => Assert.InRange(v, 99f, 101f)); // one unused step: not yet dead
        quantizer.call(latents);

        var restarted = Values(quantizer.Codebook)[4..6];
        bool isABatchVector = Enumerable.Range(0, vectors.Length / 2).Any(i => vectors[2 * i] == restarted[0] && vectors[2 * i + 1] == restarted[1]);
        Assert.True(isABatchVector, $"code 2 restarted at ({restarted[0]}, {restarted[1]}), which is not a vector of the batch");
    }

    [Fact]
    public void GivenDeadCodeRestarts_WhenTheSameSeedIsUsedTwice_ThenTheRestartsAreIdentical()
    {
        float[] Run()
        {
            using var quantizer = new VectorQuantizer(TinyOptions(QuantizerUpdate.Ema, deadCodeThreshold: 1) with { CodebookSize = 6 });
            quantizer.Initialize(seed: 42);
            using var latents = Latents(2, 3, 4, seed: 1, scale: 3);
            quantizer.train();
            quantizer.call(latents);
            return Values(quantizer.Codebook);
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void GivenLatentsWithTheWrongChannelCount_WhenQuantizing_ThenTheErrorNamesTheExpectedShape()
    {
        using var quantizer = new VectorQuantizer(TinyOptions());
        using var latents = zeros(2, 5, 4, 4);
        var error = Assert.Throws<ArgumentException>(() => quantizer.call(latents));
        Assert.Contains("[B, 3, G, G]", error.Message);
        Assert.Contains("[2, 5, 4, 4]", error.Message);
    }

    [Fact]
    public void GivenIndicesOutsideTheCodebook_WhenLookingUp_ThenTheErrorNamesTheRange()
    {
        using var quantizer = new VectorQuantizer(TinyOptions());
        using var indices = full(1, 4, 4, 8L, dtype: ScalarType.Int64);
        var error = Assert.Throws<ArgumentException>(() => quantizer.Lookup(indices));
        Assert.Contains("[0, 8)", error.Message);
    }
}
