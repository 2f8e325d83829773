using System.Runtime.CompilerServices;

namespace MlNetInverse.Physics.Randomness;

/// <summary>
/// A small SplitMix64 random stream keyed by a seed and stream keys (e.g. purpose, epoch, step), so every random
/// choice of training (weight init, shuffles, subsets, code restarts) is reproducible from the seed alone, needs no
/// saved generator state to resume, and never touches torch's global generator (which parallel work could share).
/// The models, the baselines and batch scoring (which must not load libtorch) all draw from this one stream.
/// </summary>
internal sealed class SeededRandom
{
    private ulong _state;

    private SeededRandom(ulong state) => _state = state;

    /// <summary>
    /// A stream that starts at a raw SplitMix64 state, for draws whose keying is older than the stream keys (the
    /// dataset's held-out split); new uses key by seed and purpose.
    /// </summary>
    public static SeededRandom FromState(ulong state) => new(state);

    public SeededRandom(long seed, params long[] streamKeys)
    {
        ulong state = SplitMix64.Mix(unchecked((ulong)seed + SplitMix64.Gamma));
        foreach (long key in streamKeys) state = SplitMix64.Mix(state ^ SplitMix64.Mix(unchecked((ulong)key * SplitMix64.Gamma + 0x632BE59BD9B4E019UL)));
        _state = state;
    }

    /// <summary>Stream keys that name what a stream is for (values are arbitrary but fixed forever).</summary>
    public static class Purpose
    {
        public const long Initialization = 1;
        public const long Codebook = 2;
        public const long Shuffle = 3;
        public const long AbsorptionSubset = 4;
        public const long CodeRestart = 5;
        public const long HeldOutSplit = 6;
        public const long Augmentation = 7;

        /// <summary>An MDN's draws (both samplers: the TorchSharp one and the engine-free one).</summary>
        public const long MixtureSampling = 1001;

        /// <summary>The weighted surrogate screen's keys (one stream per sampling seed and target).</summary>
        public const long SurrogateScreen = 1002;
    }

    public ulong NextUInt64() => SplitMix64.Step(ref _state);

    /// <summary>
    /// Moves the stream past <paramref name="outputs"/> 64-bit outputs at once (SplitMix64's state only adds
    /// <see cref="SplitMix64.Gamma"/> per output), so a sampler can start at draw k without making draws 0..k-1.
    /// </summary>
    public void Skip(long outputs)
    {
        if (outputs < 0) throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "A stream only moves forward.");
        _state = unchecked(_state + (ulong)outputs * SplitMix64.Gamma);
    }

    /// <summary>64-bit outputs that <see cref="StandardNormals"/> takes for <paramref name="count"/> values (two per pair, odd counts rounded up).</summary>
    public static long OutputsForNormals(int count) => 2L * ((count + 1) / 2);

    /// <summary>
    /// 64-bit outputs one draw from a mixture over <paramref name="latentDimension"/> values takes: one uniform for its
    /// component (<see cref="Categorical"/>), then its standard normals. Both MDN samplers skip whole draws by it.
    /// </summary>
    public static long OutputsPerMixtureDraw(int latentDimension) => 1 + OutputsForNormals(latentDimension);

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => SplitMix64.ToUnitInterval(NextUInt64());

    /// <summary>Uniform integer in [0, <paramref name="exclusiveMax"/>), unbiased (rejection of the short last block).</summary>
    public int NextInt(int exclusiveMax)
    {
        if (exclusiveMax <= 0) throw new ArgumentOutOfRangeException(nameof(exclusiveMax), exclusiveMax, "Range must be positive.");
        ulong range = (ulong)exclusiveMax;
        ulong limit = ulong.MaxValue - ulong.MaxValue % range;
        ulong value;
        do value = NextUInt64();
        while (value >= limit);
        return (int)(value % range);
    }

    /// <summary>A uniformly random permutation of 0..n-1 (Fisher-Yates).</summary>
    public int[] Permutation(int n)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary><paramref name="count"/> distinct integers from [0, n) in random order (partial Fisher-Yates).</summary>
    public int[] Sample(int n, int count)
    {
        if (count > n) throw new ArgumentOutOfRangeException(nameof(count), count, $"Cannot draw {count} distinct values from {n}.");
        var pool = new int[n];
        for (int i = 0; i < n; i++) pool[i] = i;
        for (int i = 0; i < count; i++)
        {
            int j = i + NextInt(n - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..count];
    }

    /// <summary>
    /// Fills <paramref name="values"/> with standard normals by Box-Muller on 53-bit uniforms, two per pair of draws (the
    /// second of an odd count is dropped), so a sampler's draws are the same on every engine that uses this stream.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void StandardNormals(Span<float> values)
    {
        for (int i = 0; i < values.Length; i += 2)
        {
            double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - NextDouble())); // 1 - u is in (0, 1]: no log(0)
            double angle = 2.0 * Math.PI * NextDouble();
            values[i] = (float)(radius * Math.Cos(angle));
            if (i + 1 < values.Length) values[i + 1] = (float)(radius * Math.Sin(angle));
        }
    }

    /// <summary>Values uniform in [-bound, bound).</summary>
    public float[] Uniform(long count, double bound)
    {
        var values = new float[count];
        for (long i = 0; i < count; i++) values[i] = (float)((2 * NextDouble() - 1) * bound);
        return values;
    }
}
