namespace MlNetInverse.Physics.Randomness;

/// <summary>
/// The SplitMix64 mixing function (Steele, Lea and Flood 2014), the one copy every layer's seeded randomness is built
/// on. Stateless, so a value can be derived from a key directly, without walking a generator: that is what makes sample
/// i independent of the other samples.
/// </summary>
internal static class SplitMix64
{
    /// <summary>The golden-ratio increment of the SplitMix64 sequence.</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>The SplitMix64 finaliser: a bijective avalanche mix of 64 bits.</summary>
    public static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>The <paramref name="index"/>-th output (1-based) of the SplitMix64 sequence started at <paramref name="state"/>.</summary>
    public static ulong Next(ulong state, int index) => Mix(unchecked(state + (ulong)index * Gamma));

    /// <summary>One step of the sequence: advances <paramref name="state"/> by <see cref="Gamma"/> and returns its mix.</summary>
    public static ulong Step(ref ulong state)
    {
        state = unchecked(state + Gamma);
        return Mix(state);
    }

    /// <summary>A double in [0, 1) from the top 53 bits.</summary>
    public static double ToUnitInterval(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));
}
