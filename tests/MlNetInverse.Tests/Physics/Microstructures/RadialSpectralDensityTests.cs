using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Tests.Physics.Microstructures;

public sealed class RadialSpectralDensityTests
{
    private static Microstructure Cosine(int n, int kx, int ky)
    {
        var pixels = new float[n * n];
        for (int x = 0; x < n; x++)
            for (int y = 0; y < n; y++)
                pixels[x * n + y] = (float)(0.5 + 0.5 * Math.Cos(2 * Math.PI * (kx * x + ky * y) / n));
        return Microstructure.FromPixels(pixels, n);
    }

    [Fact]
    public void GivenAPlaneWaveMap_WhenMeasured_ThenAllPowerSitsInItsRadiusBinAndSumsToTheVariance()
    {
        var spectrum = RadialSpectralDensity.Measure([Cosine(32, 3, 4)]); // |k| = 5
        Assert.Equal(5, spectrum.PeakRadius);
        Assert.Equal(1, spectrum.MapCount);
        Assert.Equal(32, spectrum.Size);
        Assert.Equal(0.125, spectrum.TotalPower, 1e-6); // variance of 0.5 cos
        for (int r = 0; r < spectrum.Power.Count; r++)
            if (r != 5) Assert.True(spectrum.Power[r] < 1e-12, $"bin {r}: {spectrum.Power[r]}");
        // Two of the bin-5 wave vectors carry the cosine: mean power per wave vector = 0.125 / count.
        Assert.Equal(0.125 / spectrum.ModeCounts[5], spectrum.Power[5], 1e-8);
    }

    [Fact]
    public void GivenSeveralMaps_WhenMeasured_ThenBinsCoverEveryWaveVectorOnceAndPowersAverage()
    {
        var a = Cosine(16, 2, 0);
        var b = Cosine(16, 0, 6);
        var spectrum = RadialSpectralDensity.Measure([a, b]);
        Assert.Equal(16 * 16, spectrum.ModeCounts.Sum());
        Assert.Equal(12, spectrum.Power.Count); // bins 0 .. 11: the corner (-8, -8) has |k| = 8 sqrt 2 = 11.3
        Assert.Equal(0.125, spectrum.TotalPower, 1e-6);
        Assert.Equal(0.5 * 0.125 / spectrum.ModeCounts[2], spectrum.Power[2], 1e-8);
    }

    [Fact]
    public void GivenUniformMaps_WhenMeasured_ThenThereIsNoPeak()
    {
        var spectrum = RadialSpectralDensity.Measure([Microstructure.FromPixels(Enumerable.Repeat(1f, 64).ToArray(), 8)]);
        Assert.Equal(0, spectrum.PeakRadius);
        Assert.Equal(0, spectrum.TotalPower);
    }

    [Fact]
    public void GivenNoMapsOrMixedSizes_WhenMeasured_ThenTheErrorSaysWhy()
    {
        Assert.Contains("At least one map", Assert.Throws<ArgumentException>(() => RadialSpectralDensity.Measure([])).Message);
        var ex = Assert.Throws<ArgumentException>(() => RadialSpectralDensity.Measure([Cosine(8, 1, 0), Cosine(16, 1, 0)]));
        Assert.Contains("16x16", ex.Message);
    }
}
