using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Randomness;

namespace MlNetInverse.Physics.Morphology;

/// <summary>
/// The data's own spread, the yardstick for generated maps: the statistics of the data maps at a target (those whose
/// label lies within the window), and how far two random halves of them lie apart, statistic by statistic.
/// </summary>
/// <remarks>
/// Two halves of one set differ only by sampling, so their distance is what "as close as the data to itself" means.
/// One halving is one noisy draw of it; the spread is the largest distance over several seeded halvings, so a set that
/// is as close as the data to itself does not miss by the luck of a single split. That distance shrinks with the halves' size (a mean's variance falls as 1/size), so a set of G designs compared
/// with all D data maps has its own sampling floor: <see cref="SpreadFor"/> rescales the half-vs-half spread by
/// sqrt((1/G + 1/D) / (1/H1 + 1/H2)), the spread a set of G fresh data maps would show against the D maps.
/// </remarks>
public sealed class MorphologyYardstick
{
    private MorphologyYardstick(IReadOnlyList<MapMorphology> maps, MorphologyStatistics? data, MorphologyDistance? spread, int firstHalf,
        MorphologyYardstickOptions options)
    {
        Maps = maps;
        Options = options;
        Data = data;
        Spread = spread;
        FirstHalfCount = firstHalf;
    }

    /// <summary>The data maps' own statistics, one per map.</summary>
    public IReadOnlyList<MapMorphology> Maps { get; }

    /// <summary>How the halvings were drawn.</summary>
    public MorphologyYardstickOptions Options { get; }

    /// <summary>Data maps in the window.</summary>
    public int Count => Maps.Count;

    /// <summary>Their statistics; null when the window holds no map.</summary>
    public MorphologyStatistics? Data { get; }

    /// <summary>Half-vs-half distances, the largest over <see cref="Splits"/> halvings; null with fewer than 2 maps.</summary>
    public MorphologyDistance? Spread { get; }

    /// <summary>Maps in the first half (Count / 2, rounded down).</summary>
    public int FirstHalfCount { get; }

    /// <summary>Maps in the second half.</summary>
    public int SecondHalfCount => Count - FirstHalfCount;

    /// <summary>Random halvings averaged.</summary>
    public int Splits => Options.Splits;

    /// <summary>
    /// The factor that turns the half-vs-half spread into the spread expected between <paramref name="count"/> fresh
    /// data maps and all <see cref="Count"/> maps; NaN with fewer than 2 data maps.
    /// </summary>
    public double ScaleFor(int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "A compared set needs at least one map.");
        if (Count < 2) return double.NaN;
        return Math.Sqrt((1.0 / count + 1.0 / Count) / (1.0 / FirstHalfCount + 1.0 / SecondHalfCount));
    }

    /// <summary>The spread scaled to a set of <paramref name="count"/> maps (see remarks); null with fewer than 2 data maps.</summary>
    public MorphologyDistance? SpreadFor(int count) => Spread?.Scale(ScaleFor(count));

    /// <summary>
    /// The bar applied to this data itself at <paramref name="setSize"/> maps per set (<see cref="MorphologyDataControl"/>,
    /// seeded like the halvings); null when the window holds fewer than twice that many maps.
    /// </summary>
    public MorphologyDataControl? DataControl(int setSize, MorphologyBar? bar = null, int sets = MorphologyDataControl.DefaultSets) =>
        MorphologyDataControl.Of(Maps, setSize, Options, bar, sets);

    /// <summary>The yardstick of <paramref name="maps"/> (all of them are the data; the window is not used).</summary>
    public static MorphologyYardstick Of(IReadOnlyList<Microstructure> maps, MorphologyYardstickOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(maps);
        return Of(MapMorphology.OfAll(maps), options);
    }

    /// <summary>The yardstick of maps measured already.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one split.</exception>
    public static MorphologyYardstick Of(IReadOnlyList<MapMorphology> maps, MorphologyYardstickOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(maps);
        options ??= new MorphologyYardstickOptions();
        if (options.Splits < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Splits, "The yardstick needs at least one random halving (Splits >= 1).");
        int n = maps.Count;
        if (n == 0) return new MorphologyYardstick(maps, null, null, 0, options);
        var data = MorphologyStatistics.Of(maps);
        if (n < 2) return new MorphologyYardstick(maps, data, null, 0, options);
        int half = n / 2;
        var distances = new MorphologyDistance[options.Splits];
        for (int s = 0; s < options.Splits; s++)
        {
            var order = Permutation(n, options.Seed, s);
            var first = MorphologyStatistics.Of(order[..half].Select(i => maps[i]).ToArray());
            var second = MorphologyStatistics.Of(order[half..].Select(i => maps[i]).ToArray());
            distances[s] = first.DistanceTo(second);
        }
        return new MorphologyYardstick(maps, data, MorphologyDistance.Maximum(distances), half, options);
    }

    /// <summary>The yardstick of the records whose absorption label lies within the window of <paramref name="target"/>.</summary>
    public static MorphologyYardstick AtTarget(IEnumerable<MicrostructureRecord> records, double target, MorphologyYardstickOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        options ??= new MorphologyYardstickOptions();
        if (!(options.Window >= 0))
            throw new ArgumentOutOfRangeException(nameof(options), options.Window, "The absorption window must be a number >= 0.");
        var near = records.Where(r => Math.Abs(r.Absorption - target) <= options.Window).Select(r => r.Map).ToArray();
        return Of(near, options);
    }

    // The halvings' stream key ("morphol"); other users of Permutation pass their own.
    internal const ulong HalvingPurpose = 0x6D6F7270686F6CUL;

    /// <summary>Fisher-Yates driven by SplitMix64: the same (seed, split, purpose) always gives the same order.</summary>
    internal static int[] Permutation(int n, long seed, int split, ulong purpose = HalvingPurpose)
    {
        var order = Enumerable.Range(0, n).ToArray();
        // Each halving starts its own stream at a mixed (seed, split) key, so no two halvings share a run of draws.
        ulong state = SplitMix64.Mix(SplitMix64.Mix(unchecked((ulong)seed) ^ purpose) + (ulong)split);
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)(SplitMix64.Next(state, n - i) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
