using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Training;

namespace MlNetInverse.Baselines.Shared;

/// <summary>
/// Stream keys and draws of the baselines' randomness, all from the models' seeded SplitMix64 streams
/// (<see cref="SeededRandom"/>), never from torch's global generator: the same seed gives the same draws anywhere.
/// </summary>
internal static class BaselineRandom
{
    /// <summary>GAN training noise, keyed further by (epoch, step).</summary>
    public const long GanNoise = 2001;

    /// <summary>Latents whose decoded images label the GAN-MDN's MDN pairs.</summary>
    public const long LabelLatents = 2002;

    /// <summary>Bayesian optimisation: initial design, keyed further by point index.</summary>
    public const long InitialDesign = 2003;

    /// <summary>Bayesian optimisation: acquisition candidates, keyed further by iteration.</summary>
    public const long AcquisitionCandidates = 2004;

    /// <summary>GRF realisation seeds of the optimisation baseline's candidates.</summary>
    public const long RealizationSeeds = 2005;

    /// <summary>The volume-fraction control's designs, keyed further by target bits and design index.</summary>
    public const long ControlDesigns = 2006;

    /// <summary><paramref name="count"/> x <paramref name="dimension"/> standard normals (row-major) from the stream (seed, keys).</summary>
    public static float[] StandardNormals(int count, int dimension, long seed, params long[] keys)
    {
        var values = new float[checked(count * dimension)];
        var random = new SeededRandom(seed, keys);
        // One row at a time, so row r's values do not depend on the dimension being odd (Box-Muller pairs).
        for (int row = 0; row < count; row++) MixtureSampler.StandardNormals(random, values.AsSpan(row * dimension, dimension));
        return values;
    }
}
