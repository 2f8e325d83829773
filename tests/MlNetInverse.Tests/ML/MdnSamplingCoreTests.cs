using Microsoft.ML.Data;
using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Mdn;
using MlNetInverse.Tests.Models;
using MlNetInverse.Tests.Onnx;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.ML;

/// <summary>
/// The MDN transformer draws through the engines' sampling core (LatentSampler) instead of the Models layer's
/// MixtureSampler; the draws must stay those of MixtureDensityNetwork.Sample, bit for bit, so saved models and the
/// quick pipeline's designs do not change.
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class MdnSamplingCoreTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GivenTheMdnTransformer_WhenItDrawsForManyTargets_ThenEveryValueEqualsMixtureDensityNetworkSample(bool correlatedNoise)
    {
        using var generator = TinyGenerator.Create(samples: 7, correlatedNoise: correlatedNoise);
        float[] targets = [0.2f, 0.31f, 0.4f, 0.5f, 0.55f, 0.61f, 0.7f, 0.79f, 0.9f];
        var latents = generator.Mdn.Transform(generator.Targets(targets)).GetColumn<float[]>(GenerationColumns.GeneratedLatents).ToArray();

        for (int t = 0; t < targets.Length; t++)
        {
            using var scope = NewDisposeScope();
            var expected = generator.Mdn.Network.Sample(tensor(new[] { targets[t] }), 7, MdnTransformer.RowSeed(generator.Mdn.SamplingSeed, targets[t]))
                .contiguous().data<float>().ToArray();
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), latents[t].Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void GivenOneTargetsDrawsTakenInRanges_WhenEachRangeStartsAtItsOffset_ThenEveryRangeEqualsItsPositionsOfTheLatentsColumn()
    {
        using var generator = TinyGenerator.Create(samples: 40);
        var column = generator.Mdn.Transform(generator.Targets(0.45f)).GetColumn<float[]>(GenerationColumns.GeneratedLatents).Single();
        var draws = generator.Mdn.DrawsFor(0.45f);
        int l = draws.LatentDimension;

        foreach (var (first, count) in new[] { (0, 13), (13, 26), (39, 1), (7, 1) })
        {
            var range = new float[count * l];
            draws.Draw(first, count, range);
            Assert.Equal(column.AsSpan(first * l, count * l).ToArray().Select(BitConverter.SingleToInt32Bits), range.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void GivenAnOddLatentDimension_WhenTheEnginesSamplerDrawsFromAnOffset_ThenTheChunkEqualsTheRowsOfOneBigDraw()
    {
        // L = 5: each draw takes 1 + 6 stream outputs (the sixth normal of its last Box-Muller pair is dropped).
        const int b = 2, k = 3, l = 5, samples = 11, first = 4, count = 5;
        var random = new Random(5);
        float[] Values(int n, double scale, double offset) => Enumerable.Range(0, n).Select(_ => (float)(offset + scale * random.NextDouble())).ToArray();
        var logWeights = Values(b * k, 2, -1);
        var means = Values(b * k * l, 4, -2);
        var sigmas = Values(b * k * l, 0.5, 0.1);
        long[] seeds = [17, -3];
        var all = new float[b * samples * l];
        MlNetInverse.ML.Scoring.LatentSampler.DrawFromMixtures(logWeights, means, sigmas, seeds, k, l, samples, all);

        var chunk = new float[b * count * l];
        MlNetInverse.ML.Scoring.LatentSampler.DrawFromMixtures(logWeights, means, sigmas, seeds, k, l, count, chunk, first);

        for (int row = 0; row < b; row++)
            Assert.Equal(all.AsSpan((row * samples + first) * l, count * l).ToArray(), chunk.AsSpan(row * count * l, count * l).ToArray());
    }

    [Theory]
    [InlineData(300, 1, 512)]
    [InlineData(37, 9, 200)]
    public void GivenManyTargets_WhenComponentsAndNormalsArePickedOnTwoThreads_ThenEveryValueEqualsTheOneThreadPick(int targets, int samples, int l)
    {
        // Batch scoring shares the targets out over the engine's threads (each target has its own stream).
        const int k = 4;
        var random = new Random(8);
        var logWeights = Enumerable.Range(0, targets * k).Select(_ => (float)(-2 * random.NextDouble())).ToArray();
        var seeds = Enumerable.Range(0, targets).Select(i => 1000L + 7 * i).ToArray();
        int draws = targets * samples;
        Assert.True((long)draws * l >= 1 << 16, "the parallel path needs at least 65,536 normals");
        (int[] Rows, int[] Picked, float[] Noise) Pick(int threads)
        {
            var (rows, picked, noise) = (new int[draws], new int[draws], new float[draws * l]);
            MlNetInverse.ML.Scoring.LatentSampler.PickComponents(logWeights, seeds, k, l, samples, rows, picked, noise, first: 3, threads: threads);
            return (rows, picked, noise);
        }

        var one = Pick(1);
        var two = Pick(2);

        Assert.Equal(one.Rows, two.Rows);
        Assert.Equal(one.Picked, two.Picked);
        Assert.Equal(one.Noise.Select(BitConverter.SingleToInt32Bits), two.Noise.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(Enumerable.Range(0, targets).SelectMany(t => Enumerable.Repeat(t, samples)), one.Rows);
    }
}
