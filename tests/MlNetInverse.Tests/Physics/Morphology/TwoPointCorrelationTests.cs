using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Morphology;

namespace MlNetInverse.Tests.Physics.Morphology;

/// <summary>S2 on maps whose correlation is known in closed form, and against the direct periodic sum.</summary>
public sealed class TwoPointCorrelationTests
{
    [Fact]
    public void GivenACheckerboard_WhenMeasured_ThenS2AlternatesBetweenTheVolumeFractionAndZeroAlongAnAxis()
    {
        var s2 = TwoPointCorrelation.Of(MorphologyMaps.Checkerboard());

        for (int r = 0; r < 64; r++)
        {
            Assert.Equal(r % 2 == 0 ? 0.5 : 0.0, s2[r, 0], 12);
            Assert.Equal(r % 2 == 0 ? 0.5 : 0.0, s2[0, r], 12);
        }
        Assert.Equal(0.5, s2[1, 1], 12);
        Assert.Equal(0.5, s2.Radial[0], 12);
        // Bin 1 holds the four unit steps (S2 = 0) and the four diagonals of length 1.41 (S2 = 0.5).
        Assert.Equal(0.25, s2.Radial[1], 12);
    }

    [Fact]
    public void GivenASinglePixel_WhenMeasured_ThenS2AtZeroIsTheVolumeFractionAndEveryOtherDisplacementIsZero()
    {
        var s2 = TwoPointCorrelation.Of(MorphologyMaps.SinglePixel());

        Assert.Equal(1.0 / 4096, s2[0, 0], 15);
        Assert.Equal(1.0 / 4096, s2.Radial[0], 15);
        Assert.Equal(33, s2.Radial.Count); // r = 0 .. N/2
        for (int r = 1; r < s2.Radial.Count; r++) Assert.Equal(0, s2.Radial[r], 15);
        Assert.Equal(0, s2[3, -7], 15);
    }

    [Fact]
    public void GivenAGrfMap_WhenMeasured_ThenEveryDisplacementEqualsTheDirectPeriodicSum()
    {
        var map = MorphologyMaps.Grf(1, 7, size: 16)[0];
        var s2 = TwoPointCorrelation.Of(map);

        foreach (var (dx, dy) in new[] { (0, 0), (1, 0), (0, 3), (5, 11), (8, 8), (-2, 1) })
        {
            double sum = 0;
            for (int x = 0; x < 16; x++)
                for (int y = 0; y < 16; y++)
                    sum += map[x, y] * map[((x + dx) % 16 + 16) % 16, ((y + dy) % 16 + 16) % 16];
            Assert.Equal(sum / 256, s2[dx, dy], 12);
        }
        Assert.Equal(map.VolumeFraction, s2.Radial[0], 12);
    }

    [Fact]
    public void GivenAGreyMap_WhenMeasured_ThenItIsReadAsTheBinaryMapOfPixelsAboveOneHalf()
    {
        var grey = Microstructure.FromPixels([0.2f, 0.7f, 0.5f, 0.9f], 2);

        var s2 = TwoPointCorrelation.Of(grey);

        Assert.Equal(0.5, s2[0, 0], 12); // pixels 0.7 and 0.9 are material A
        Assert.Equal(0.5, s2[1, 0], 12); // column y = 1 is all material A: shifting along x keeps it
    }
}
