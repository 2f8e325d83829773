using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Randomness;

namespace MlNetInverse.Physics.Datasets;

/// <summary>
/// Draws the GRF parameters and noise seed of dataset sample i from (master seed, i) alone, so any thread count and
/// any split of the ids into parts give the same rows.
/// </summary>
/// <remarks>
/// Algorithm (format version 1; changing it changes every dataset): key = Mix(Mix(masterSeed) + Mix(i + Gamma)),
/// then outputs k = 1..4 of the SplitMix64 sequence from key give, in order, the mean wavenumber, the std wavenumber,
/// the volume fraction (each Min + u * (Max - Min) with u the top 53 bits as a double in [0, 1)) and the GRF seed
/// (the 63 low bits, non-negative).
/// </remarks>
public sealed class GrfParameterSampler
{
    private readonly ulong _masterKey;

    /// <summary>Creates a sampler; the ranges are validated for 64 x 64 cells unless <paramref name="size"/> says otherwise.</summary>
    public GrfParameterSampler(long masterSeed, GrfParameterRanges ranges, int size = Microstructure.DefaultSize)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        ranges.Validate(size);
        MasterSeed = masterSeed;
        Ranges = ranges;
        _masterKey = SplitMix64.Mix((ulong)masterSeed);
    }

    /// <summary>The master seed of the dataset.</summary>
    public long MasterSeed { get; }

    /// <summary>The ranges parameters are drawn from.</summary>
    public GrfParameterRanges Ranges { get; }

    /// <summary>Parameters and GRF seed of sample <paramref name="id"/> (&gt;= 0).</summary>
    public GrfSample Sample(long id)
    {
        if (id < 0) throw new ArgumentOutOfRangeException(nameof(id), id, "Sample ids start at 0.");
        ulong key = SplitMix64.Mix(_masterKey + SplitMix64.Mix((ulong)id + SplitMix64.Gamma));
        double mean = Ranges.MeanWavenumber.At(SplitMix64.ToUnitInterval(SplitMix64.Next(key, 1)));
        double std = Ranges.StdWavenumber.At(SplitMix64.ToUnitInterval(SplitMix64.Next(key, 2)));
        double fraction = Ranges.VolumeFraction.At(SplitMix64.ToUnitInterval(SplitMix64.Next(key, 3)));
        long seed = (long)(SplitMix64.Next(key, 4) & long.MaxValue);
        return new GrfSample(id, new GrfParameters(Ranges.Family, mean, std, fraction), seed);
    }
}
