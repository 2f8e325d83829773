using MlNetInverse.Physics.Randomness;

namespace MlNetInverse.Physics.Microstructures;

/// <summary>
/// The GRF's own random stream: xoshiro256** (Blackman and Vigna) whose 256-bit state is four successive SplitMix64
/// outputs started at the 64-bit seed. Every seed, negative ones included, is a distinct stream; no global state is
/// touched, so generators on different threads never interfere, and the bits are the same on every machine.
/// </summary>
internal sealed class GrfRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public GrfRandom(long seed)
    {
        ulong splitMix = unchecked((ulong)seed);
        _s0 = SplitMix64.Step(ref splitMix);
        _s1 = SplitMix64.Step(ref splitMix);
        _s2 = SplitMix64.Step(ref splitMix);
        _s3 = SplitMix64.Step(ref splitMix);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        unchecked
        {
            ulong result = RotateLeft(_s1 * 5, 7) * 9;
            ulong t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = RotateLeft(_s3, 45);
            return result;
        }
    }

    /// <summary>Uniform in [0, 1) on the 2^-53 grid.</summary>
    public double NextDouble() => SplitMix64.ToUnitInterval(NextUInt64());

    /// <summary>
    /// A pair of independent standard normal values by Marsaglia's polar method: it needs only a logarithm and a square
    /// root (both portable here), not sin/cos, and rejects about 21% of the uniform pairs.
    /// </summary>
    public (double First, double Second) NextGaussianPair()
    {
        while (true)
        {
            double u = 2.0 * NextDouble() - 1.0;
            double v = 2.0 * NextDouble() - 1.0;
            double s = u * u + v * v;
            if (s >= 1.0 || s == 0.0) continue;
            double factor = Math.Sqrt(-2.0 * PortableMath.Log(s) / s); // sqrt is correctly rounded by IEEE-754
            return (u * factor, v * factor);
        }
    }

    private static ulong RotateLeft(ulong value, int count) => (value << count) | (value >> (64 - count));
}
