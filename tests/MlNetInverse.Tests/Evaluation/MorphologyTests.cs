using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Workflows.Evaluation;

namespace MlNetInverse.Tests.Evaluation;

/// <summary>Volume fraction statistics, the radial spectrum's peak and the distance between spectrum shapes, on stripe maps.</summary>
public sealed class MorphologyTests
{
    /// <summary>Stripes along y with <paramref name="cycles"/> periods per cell, on for half of each period.</summary>
    private static Microstructure Stripes(int cycles, int size = 32)
    {
        var pixels = new float[size * size];
        for (int x = 0; x < size; x++)
            for (int y = 0; y < size; y++)
                pixels[x * size + y] = y * cycles % size < size / 2 ? 1f : 0f;
        return Microstructure.FromPixels(pixels, size);
    }

    [Fact]
    public void GivenStripesWithTwoCyclesPerCell_WhenMeasured_ThenTheSpectrumPeaksAtRadiusTwoAndTheVolumeFractionIsOneHalf()
    {
        var morphology = Morphology.Of([Stripes(2), Stripes(2)]);

        Assert.Equal(2, morphology.PeakRadius);
        Assert.Equal(0.5, morphology.VolumeFractionMean, 12);
        Assert.Equal(0, morphology.VolumeFractionStd, 12);
        Assert.Equal(1, morphology.SpectrumShares.Sum(), 9);
    }

    [Fact]
    public void GivenTheSameMaps_WhenTheirSpectraAreCompared_ThenTheDistanceIsZero_AndStripesOfDifferentPeriodsAreFarApart()
    {
        var two = Morphology.Of([Stripes(2)]);
        var eight = Morphology.Of([Stripes(8)]);

        Assert.Equal(0, two.SpectrumDistanceTo(Morphology.Of([Stripes(2)])), 12);
        Assert.True(two.SpectrumDistanceTo(eight) > 0.8, $"distance {two.SpectrumDistanceTo(eight)}");
        Assert.Equal(two.SpectrumDistanceTo(eight), eight.SpectrumDistanceTo(two), 12);
    }

    [Fact]
    public void GivenMapsOfDifferentFill_WhenMeasured_ThenTheVolumeFractionStdIsTheSampleStandardDeviation()
    {
        var full = Microstructure.FromPixels(Enumerable.Repeat(1f, 16).ToArray(), 4);
        var empty = Microstructure.FromPixels(new float[16], 4);

        var morphology = Morphology.Of([full, empty]);

        Assert.Equal(0.5, morphology.VolumeFractionMean, 12);
        Assert.Equal(Math.Sqrt(0.5), morphology.VolumeFractionStd, 12);
    }
}
