namespace MlNetInverse.Physics.Morphology;

/// <summary>
/// The bar applied to the data itself: <see cref="Sets"/> random sets of <see cref="SetSize"/> data maps, each compared
/// (as if they were designs) with a yardstick built from the other maps. It says how often a generator that draws exactly
/// like the data would meet <see cref="MorphologyBar"/> with that many designs, so a missed check can be read against
/// the bar's own false-alarm rate at that size.
/// </summary>
/// <remarks>
/// The bar is a per-statistic test at about two standard errors, so even the data misses it now and then, more often
/// the more statistics and targets are checked at once. This control does not change the bar; it is reported beside it.
/// </remarks>
/// <param name="SetSize">Maps per set (the designs per compared set).</param>
/// <param name="Sets">Random sets drawn.</param>
/// <param name="Met">Sets that met every check.</param>
/// <param name="Misses">Per statistic, the sets that missed it (statistics no set missed are absent).</param>
public sealed record MorphologyDataControl(int SetSize, int Sets, int Met, IReadOnlyDictionary<MorphologyStatistic, int> Misses)
{
    /// <summary>Random sets drawn unless told otherwise.</summary>
    public const int DefaultSets = 20;

    // The sets' stream key ("control"), apart from the yardstick's halvings.
    private const ulong SetPurpose = 0x636F6E74726F6CUL;

    /// <summary>
    /// Draws <paramref name="sets"/> sets of <paramref name="setSize"/> of <paramref name="data"/> (seeded by
    /// <paramref name="options"/>' seed) and compares each with the yardstick of the remaining maps (the same window-free
    /// yardstick options); null when fewer than <paramref name="setSize"/> maps would remain, since the control's
    /// yardstick would then rest on fewer maps than the compared set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A set size or set count below 1.</exception>
    public static MorphologyDataControl? Of(IReadOnlyList<MapMorphology> data, int setSize, MorphologyYardstickOptions? options = null,
        MorphologyBar? bar = null, int sets = DefaultSets)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (setSize < 1) throw new ArgumentOutOfRangeException(nameof(setSize), setSize, "A compared set needs at least one map.");
        if (sets < 1) throw new ArgumentOutOfRangeException(nameof(sets), sets, "Draw at least one set.");
        options ??= new MorphologyYardstickOptions();
        if (data.Count - setSize < setSize) return null;
        var comparisons = Enumerable.Range(0, sets).Select(s =>
        {
            var order = MorphologyYardstick.Permutation(data.Count, options.Seed, s, SetPurpose);
            var set = order[..setSize].Select(i => data[i]).ToArray();
            var rest = order[setSize..].Select(i => data[i]).ToArray();
            return MorphologyComparison.Of(MorphologyStatistics.Of(set), MorphologyYardstick.Of(rest, options), bar);
        }).ToArray();
        return new MorphologyDataControl(setSize, sets, comparisons.Count(c => c.Met), MorphologyComparison.CountMisses(comparisons));
    }
}
