using MlNetInverse.Models.Surrogate;
using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Tests.Models;

/// <summary>GRF maps with a cheap analytic stand-in for the RCWA absorption label.</summary>
internal static class TrainingTestData
{
    /// <summary>
    /// <paramref name="count"/> binary GRF maps of <paramref name="size"/> pixels (ring SDF, varied wavenumber and volume
    /// fraction, seeded) and a stand-in property that depends on the volume fraction and on the structure (interface
    /// density: the fraction of periodic nearest-neighbour pixel pairs that differ).
    /// </summary>
    public static (float[] Images, float[] Absorption, double[] VolumeFractions) GrfMaps(int count, int size, long seed)
    {
        var generator = new GaussianRandomFieldGenerator(size);
        var random = new Random((int)seed);
        int pixels = size * size;
        var images = new float[count * pixels];
        var absorption = new float[count];
        var volumeFractions = new double[count];
        double maxWavenumber = Math.Min(6, size / 2.0 - 1.5);
        for (int i = 0; i < count; i++)
        {
            var parameters = new GrfParameters(
                SpectralDensityFamily.Ring,
                MeanWavenumber: 1.5 + random.NextDouble() * (maxWavenumber - 1.5),
                StdWavenumber: 0.4 + random.NextDouble() * 0.8,
                VolumeFraction: 0.1 + random.NextDouble() * 0.8);
            var map = generator.Generate(parameters, seed * 100_003 + i);
            map.Pixels.CopyTo(images.AsSpan(i * pixels, pixels));
            volumeFractions[i] = map.VolumeFraction;
            absorption[i] = (float)StandInAbsorption(map);
        }
        return (images, absorption, volumeFractions);
    }

    /// <summary>0.25 + 0.3 * volume fraction + 2 * interface density: a smooth, symmetric, structure-aware label.</summary>
    public static double StandInAbsorption(Microstructure map) => 0.25 + 0.3 * map.VolumeFraction + 2.0 * InterfaceDensity(map);

    public static double InterfaceDensity(Microstructure map)
    {
        int n = map.Size, differing = 0;
        for (int x = 0; x < n; x++)
        for (int y = 0; y < n; y++)
        {
            if (map[x, y] != map[(x + 1) % n, y]) differing++;
            if (map[x, y] != map[x, (y + 1) % n]) differing++;
        }
        return differing / (2.0 * n * n);
    }

    /// <summary>A tiny surrogate for 16x16 images, to exercise the absorption loss quickly.</summary>
    public static AbsorptionSurrogateModel TinySurrogate(long seed = 1) =>
        new(new AbsorptionSurrogateOptions { ImageSize = 16, BaseChannels = 2, HiddenUnits = 4 }, seed);

    /// <summary>Collects progress reports synchronously (Progress&lt;T&gt; would post them later on the thread pool).</summary>
    public sealed class SynchronousProgress<T>(Action<T>? onReport = null) : IProgress<T>
    {
        public List<T> Reports { get; } = [];

        public void Report(T value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
