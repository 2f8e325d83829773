using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Tests.Physics.Microstructures;

/// <summary>Periodicity of the cell and the shape of the realized spectrum.</summary>
public sealed class GaussianRandomFieldSpectrumTests
{
    private const int N = 64;

    [Fact]
    public void GivenAnAnnulusSdf_WhenTheFieldIsTransformed_ThenNoPowerLiesOffTheAllowedIntegerWaveVectors()
    {
        // An off-lattice wave vector is not a DFT bin of the cell: its power leaks over every bin. A 64-pixel crop of a
        // 128-periodic field with the same physical annulus is exactly such a field (half-integer k on the 64-grid),
        // and is the control that shows this check can fail.
        var annulus = new GrfParameters(SpectralDensityFamily.Uniform, 6, 1, 0.5);
        for (long seed = 0; seed < 5; seed++)
        {
            var field = new GaussianRandomFieldGenerator(N).GenerateField(annulus, seed);
            Assert.True(OutOfBandFraction(field, N, 5, 7) < 1e-24, $"seed {seed}: {OutOfBandFraction(field, N, 5, 7)}");
        }
        var wide = new GaussianRandomFieldGenerator(2 * N).GenerateField(annulus with { MeanWavenumber = 12, StdWavenumber = 2 }, 0);
        Assert.True(OutOfBandFraction(Crop(wide, 2 * N, N), N, 5, 7) > 1e-3);
    }

    [Fact]
    public void GivenRingMaps_WhenNeighboursAcrossTheCellEdgeAreCompared_ThenTheyDisagreeAsOftenAsInteriorNeighbours()
    {
        var parameters = new GrfParameters(SpectralDensityFamily.Ring, 4, 1, 0.5);
        var generator = new GaussianRandomFieldGenerator(N);
        var maps = Enumerable.Range(0, 100).Select(s => generator.Generate(parameters, s)).ToList();
        var (interior, seam) = NeighbourDisagreement(maps);
        Assert.True(Math.Abs(seam - interior) < 0.03, $"interior {interior:F3}, seam {seam:F3}");

        // Control: crops of 128-periodic maps (same physical scale) have a seam at the cell edge.
        var wide = new GaussianRandomFieldGenerator(2 * N);
        var crops = Enumerable.Range(0, 100)
            .Select(s => Microstructure.FromPixels(Crop(Array.ConvertAll(wide.Generate(parameters with { MeanWavenumber = 8, StdWavenumber = 2 }, s).ToArray(), p => (double)p), 2 * N, N)
                .Select(p => (float)p).ToArray(), N)).ToList();
        var (cropInterior, cropSeam) = NeighbourDisagreement(crops);
        Assert.True(cropSeam - cropInterior > 0.15, $"control interior {cropInterior:F3}, seam {cropSeam:F3}");
    }

    [Theory]
    [InlineData(4, 1.0, 0.5)]
    [InlineData(8, 1.5, 0.5)]
    [InlineData(12, 2.0, 0.5)]
    [InlineData(8, 1.5, 0.3)]
    [InlineData(12, 1.0, 0.7)]
    public void GivenRingSdf_WhenManyMapsAreGenerated_ThenRadialSpectrumPeaksAtTheRing(double mean, double std, double vf)
    {
        var spectrum = Measure(new GrfParameters(SpectralDensityFamily.Ring, mean, std, vf), 200);
        Assert.InRange(spectrum.PeakRadius, mean - 1, mean + 1);
    }

    [Fact]
    public void GivenGaussianSdfs_WhenWidened_ThenPowerMovesToHigherWaveNumbersAndPeaksBelowTheWidth()
    {
        var narrow = Measure(new GrfParameters(SpectralDensityFamily.Gaussian, 0, 2, 0.5), 100);
        var wide = Measure(new GrfParameters(SpectralDensityFamily.Gaussian, 0, 6, 0.5), 100);
        Assert.InRange(narrow.PeakRadius, 1, 2);
        Assert.InRange(wide.PeakRadius, 1, 6);
        Assert.True(MeanRadius(wide) > 1.5 * MeanRadius(narrow), $"{MeanRadius(narrow):F2} vs {MeanRadius(wide):F2}");
    }

    [Fact]
    public void GivenUniformAnnulusSdf_WhenManyMapsAreGenerated_ThenTheSpectrumPeaksInsideTheAnnulus()
    {
        var spectrum = Measure(new GrfParameters(SpectralDensityFamily.Uniform, 10, 2, 0.5), 100);
        Assert.InRange(spectrum.PeakRadius, 8, 12);
        // Inside the annulus the realized power is flat-ish, far above the power at half the radius.
        Assert.True(spectrum.Power[10] > 5 * spectrum.Power[5]);
    }

    private static RadialSpectralDensity Measure(GrfParameters parameters, int count)
    {
        var generator = new GaussianRandomFieldGenerator(N);
        return RadialSpectralDensity.Measure(Enumerable.Range(0, count).Select(s => generator.Generate(parameters, 500 + s)));
    }

    private static double MeanRadius(RadialSpectralDensity s)
    {
        double weighted = 0;
        for (int r = 0; r < s.Power.Count; r++) weighted += r * s.Power[r] * s.ModeCounts[r];
        return weighted / s.TotalPower;
    }

    private static double OutOfBandFraction(double[] field, int n, double minK, double maxK)
    {
        var re = (double[])field.Clone();
        var im = new double[re.Length];
        new LatticeFourierTransform(n).Transform(re, im, inverse: false);
        double total = 0, outside = 0;
        for (int ix = 0; ix < n; ix++)
        {
            for (int iy = 0; iy < n; iy++)
            {
                int kx = LatticeFourierTransform.WaveNumber(ix, n), ky = LatticeFourierTransform.WaveNumber(iy, n);
                double power = re[ix * n + iy] * re[ix * n + iy] + im[ix * n + iy] * im[ix * n + iy];
                double k = Math.Sqrt(kx * kx + ky * ky);
                total += power;
                if (k < minK || k > maxK) outside += power;
            }
        }
        return outside / total;
    }

    private static double[] Crop(double[] field, int size, int crop)
    {
        var result = new double[crop * crop];
        for (int x = 0; x < crop; x++)
            for (int y = 0; y < crop; y++) result[x * crop + y] = field[x * size + y];
        return result;
    }

    private static (double Interior, double Seam) NeighbourDisagreement(IEnumerable<Microstructure> maps)
    {
        long interiorDiff = 0, interiorPairs = 0, seamDiff = 0, seamPairs = 0;
        foreach (var map in maps)
        {
            int n = map.Size;
            for (int a = 0; a < n; a++)
            {
                for (int b = 0; b < n; b++)
                {
                    int next = (a + 1) % n;
                    int differ = (map[a, b] != map[next, b] ? 1 : 0) + (map[b, a] != map[b, next] ? 1 : 0);
                    if (next == 0) { seamDiff += differ; seamPairs += 2; }
                    else { interiorDiff += differ; interiorPairs += 2; }
                }
            }
        }
        return ((double)interiorDiff / interiorPairs, (double)seamDiff / seamPairs);
    }
}
