using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Tests.Baselines;

/// <summary>Small GRF data sets with a toy absorption that is a known function of the volume fraction.</summary>
internal static class BaselineTestData
{
    /// <summary>The toy label: 0.3 + 0.5 x volume fraction (so a target t asks for volume fraction (t - 0.3) / 0.5).</summary>
    public static double ToyAbsorption(Microstructure map) => 0.3 + 0.5 * map.VolumeFraction;

    /// <summary>The volume fraction the toy label asks for at <paramref name="target"/>.</summary>
    public static double VolumeFractionFor(double target) => (target - 0.3) / 0.5;

    /// <summary>The toy label as an evaluator.</summary>
    public static IAbsorptionEvaluator ToyEvaluator { get; } = new FunctionAbsorption(ToyAbsorption, "toy");

    /// <summary>
    /// <paramref name="count"/> seeded binary GRF maps of <paramref name="size"/> pixels (ring SDF, wavenumber 1.5-3,
    /// width 0.4-1.2, volume fraction 0.1-0.9) and their toy labels.
    /// </summary>
    public static (float[] Images, float[] Absorption) GrfMaps(int count, int size, long seed)
    {
        var generator = new GaussianRandomFieldGenerator(size);
        var random = new Random((int)seed);
        int pixels = size * size;
        var images = new float[count * pixels];
        var absorption = new float[count];
        for (int i = 0; i < count; i++)
        {
            var parameters = new GrfParameters(
                SpectralDensityFamily.Ring, 1.5 + 1.5 * random.NextDouble(), 0.4 + 0.8 * random.NextDouble(), 0.1 + 0.8 * random.NextDouble());
            var map = generator.Generate(parameters, seed * 100_003 + i);
            map.Pixels.CopyTo(images.AsSpan(i * pixels, pixels));
            absorption[i] = (float)ToyAbsorption(map);
        }
        return (images, absorption);
    }

    /// <summary>A small, fast MDN.</summary>
    public static MdnOptions TinyMdn { get; } = new() { Components = 4, HiddenUnits = 32, HiddenLayers = 2 };

    /// <summary>Short MDN training.</summary>
    public static MdnTrainingOptions QuickMdnTraining(int epochs) => new() { Epochs = epochs, BatchSize = 64, LearningRate = 3e-3, FinalLearningRateFraction = 0.2 };

    /// <summary>Every pixel of every map, concatenated: equal arrays mean bit-identical maps.</summary>
    public static float[] Pixels(IEnumerable<Microstructure> maps) => maps.SelectMany(m => m.ToArray()).ToArray();
}
