using MlNetInverse.Physics.Morphology;

namespace MlNetInverse.Tests.Physics.Morphology;

/// <summary>Isolated pixels, periodic components and the seam score on maps with known answers.</summary>
public sealed class PixelStatisticsTests
{
    [Fact]
    public void GivenACheckerboard_WhenMeasured_ThenEveryPixelIsIsolatedAndTheSeamRatioIsOne()
    {
        var map = MorphologyMaps.Checkerboard();

        Assert.Equal(4096, IsolatedPixels.Count(map));
        Assert.Equal(1.0, IsolatedPixels.Rate(map));
        Assert.Equal(1.0, PeriodicSeam.Of(map).Ratio, 12);
        Assert.Equal(new PhaseComponents(2048, 2048), PhaseComponents.Count(map));
    }

    [Fact]
    public void GivenASinglePixel_WhenMeasured_ThenItIsOneIsolatedPixelAndOneComponentOfEachPhase()
    {
        var map = MorphologyMaps.SinglePixel();

        Assert.Equal(1.0 / 4096, IsolatedPixels.Rate(map), 15);
        Assert.Equal(new PhaseComponents(1, 1), PhaseComponents.Count(map));
    }

    [Fact]
    public void GivenAPixelAtTheCorner_WhenMeasured_ThenItsNeighboursWrapAcrossTheCellEdge()
    {
        var corner = MorphologyMaps.SinglePixel(0, 0);
        var besideWrappedNeighbour = MorphologyMaps.Map(64, (x, y) => (x == 0 && y == 0) || (x == 63 && y == 0));

        Assert.Equal(1, IsolatedPixels.Count(corner));
        Assert.Equal(0, IsolatedPixels.Count(besideWrappedNeighbour));
        var mask = IsolatedPixels.Mask(corner);
        Assert.True(mask[0]);
        Assert.Equal(1, mask.Count(isolated => isolated));
    }

    [Fact]
    public void GivenParticlesCutByTheCellEdge_WhenComponentsAreCounted_ThenEachIsCountedOnce()
    {
        // The four corner pixels are one particle in the tiled plane; a band across columns 62, 63, 0, 1 is one stripe.
        var corners = MorphologyMaps.Map(64, (x, y) => (x == 0 || x == 63) && (y == 0 || y == 63));
        var band = MorphologyMaps.Map(64, (x, y) => y >= 62 || y <= 1);
        var twoBlobs = MorphologyMaps.Map(64, (x, y) => (x is >= 5 and <= 8 && y is >= 5 and <= 8) || (x is >= 30 and <= 33 && y is >= 60 or <= 2));

        Assert.Equal(new PhaseComponents(1, 1), PhaseComponents.Count(corners));
        Assert.Equal(new PhaseComponents(1, 1), PhaseComponents.Count(band));
        Assert.Equal(new PhaseComponents(2, 1), PhaseComponents.Count(twoBlobs));
        Assert.Equal(0, IsolatedPixels.Count(corners));
    }

    [Fact]
    public void GivenDiagonalNeighbours_WhenComponentsAreCounted_ThenFourConnectivityKeepsThemApart()
    {
        var diagonal = MorphologyMaps.Map(8, (x, y) => (x == 2 && y == 2) || (x == 3 && y == 3));

        Assert.Equal(new PhaseComponents(2, 1), PhaseComponents.Count(diagonal));
    }

    [Fact]
    public void GivenPeriodicGrfMaps_WhenTheSeamIsMeasured_ThenTheCellEdgeDisagreesAsOftenAsTheInterior()
    {
        var seam = PeriodicSeam.Pool(MorphologyMaps.Grf(40, 100).Select(PeriodicSeam.Of));

        Assert.InRange(seam.Ratio, 0.8, 1.2);
        Assert.Equal(40 * 128, seam.EdgePairs);
        Assert.Equal(40 * 2 * 64 * 63, seam.InteriorPairs);
    }

    [Fact]
    public void GivenMapsWithAShiftedHalf_WhenTheSeamIsMeasured_ThenTheRatioIsWellAboveOne()
    {
        var maps = MorphologyMaps.Grf(40, 100);

        var periodic = PeriodicSeam.Pool(maps.Select(PeriodicSeam.Of));
        var seamed = PeriodicSeam.Pool(maps.Select(MorphologyMaps.ShiftedHalf).Select(PeriodicSeam.Of));

        Assert.True(seamed.Ratio > 3, $"seam ratio {seamed.Ratio:F2}");
        Assert.True(seamed.EdgeRate > 3 * periodic.EdgeRate, $"edge {seamed.EdgeRate:F3} vs {periodic.EdgeRate:F3}");
    }

    [Fact]
    public void GivenAUniformMap_WhenTheSeamIsMeasured_ThenItIsPeriodic()
    {
        var uniform = MorphologyMaps.Map(16, (_, _) => true);

        Assert.Equal(1.0, PeriodicSeam.Of(uniform).Ratio);
        Assert.Equal(new PhaseComponents(1, 0), PhaseComponents.Count(uniform));
        Assert.Equal(0, IsolatedPixels.Count(uniform));
    }
}
