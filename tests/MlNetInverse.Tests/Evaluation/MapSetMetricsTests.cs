using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Workflows.Evaluation;

namespace MlNetInverse.Tests.Evaluation;

/// <summary>Diversity (mean pairwise pixel distance) and novelty (nearest training map, copies flagged) on hand-made 4x4 maps.</summary>
public sealed class MapSetMetricsTests
{
    private static BinaryMap Map(string bits) => BinaryMap.Of(bits.Select(c => c == '1' ? 1f : 0f).ToArray());

    [Fact]
    public void GivenAMapAndItsComplement_WhenCompared_ThenEveryPixelDiffers()
    {
        var a = Map("1100110011001100");
        var b = Map("0011001100110011");

        Assert.Equal(1.0, a.DistanceTo(b));
        Assert.Equal(0.0, a.DistanceTo(a));
        Assert.Equal(0.5, a.VolumeFraction);
    }

    [Fact]
    public void GivenThreeHandMadeMaps_WhenDiversityIsMeasured_ThenItIsTheMeanOfThePairDistances()
    {
        // Pair distances: (a, b) 4/16, (a, c) 8/16, (b, c) 4/16 -> mean 1/3.
        var a = Map("0000000000000000");
        var b = Map("1111000000000000");
        var c = Map("1111111100000000");

        Assert.Equal(1.0 / 3, MapSetMetrics.MeanPairwiseDistance([a, b, c]), 12);
        Assert.True(double.IsNaN(MapSetMetrics.MeanPairwiseDistance([a])));
    }

    [Fact]
    public void GivenACopiedTrainingMap_WhenNoveltyIsMeasured_ThenItsDistanceIsZeroAndItIsFlaggedAsACopy()
    {
        var training = new[] { Map("1010101010101010"), Map("1111000011110000") };
        var copy = Map("1111000011110000");
        var novel = Map("0000111100001111");

        var nearest = MapSetMetrics.NearestDistances([copy, novel], training);

        Assert.Equal(0.0, nearest[0]);
        Assert.Equal(0.5, nearest[1]);
        Assert.Equal(1, MapSetMetrics.Copies(nearest));
    }

    [Fact]
    public void GivenA64x64CopyWithAFewStrayPixels_WhenNoveltyIsMeasured_ThenItIsStillFlaggedButAMapTwiceTheThresholdAwayIsNot()
    {
        var pixels = Enumerable.Range(0, 4096).Select(i => (i / 64 + i % 64) % 7 < 3 ? 1f : 0f).ToArray();
        var training = BinaryMap.Of(pixels);
        float[] Flipped(int count)
        {
            var copy = (float[])pixels.Clone();
            for (int i = 0; i < count; i++) copy[i * 37 % 4096] = 1 - copy[i * 37 % 4096];
            return copy;
        }
        int threshold = (int)(MapSetMetrics.CopyThreshold * 4096);

        var nearest = MapSetMetrics.NearestDistances([BinaryMap.Of(Flipped(10)), BinaryMap.Of(Flipped(2 * threshold))], [training]);

        Assert.Equal(10.0 / 4096, nearest[0], 12);
        Assert.Equal(1, MapSetMetrics.Copies(nearest));
    }

    [Fact]
    public void GivenGreyPixels_WhenPacked_ThenTheyAreOnAboveOneHalfLikeTheFabricationThreshold()
    {
        var map = BinaryMap.Of(new[] { 0.5f, 0.51f, 1f, 0f });

        Assert.Equal(2, map.OnPixels);
        Assert.Equal(0.0, map.DistanceTo(BinaryMap.Of(Microstructure.FromPixels([0f, 1f, 1f, 0f], 2))));
    }
}
