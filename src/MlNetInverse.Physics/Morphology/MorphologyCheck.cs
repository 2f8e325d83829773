namespace MlNetInverse.Physics.Morphology;

/// <summary>One statistic of a <see cref="MorphologyComparison"/>: generated against data, next to the data's spread.</summary>
/// <param name="Statistic">Which statistic.</param>
/// <param name="Generated">The generated set's value (NaN for the curves, which have no single value).</param>
/// <param name="Data">The data's value (NaN for the curves, or when the window holds no map).</param>
/// <param name="Distance">Generated against data: L2 for the curves, the difference for the scalars (isolated pixels: generated minus data, signed).</param>
/// <param name="Spread">The data's half-vs-half spread of the statistic, scaled to the generated set's size (NaN with fewer than 2 data maps).</param>
/// <param name="Value">The number held against <paramref name="Limit"/>: the distance, or the generated seam ratio.</param>
/// <param name="Limit">The largest passing <paramref name="Value"/>.</param>
/// <param name="Met">Value &lt;= Limit; null when the data cannot say (too few maps in the window).</param>
/// <param name="Rule">The rule in words, e.g. "distance &lt;= 2 x spread".</param>
public sealed record MorphologyCheck(MorphologyStatistic Statistic, double Generated, double Data, double Distance, double Spread, double Value,
    double Limit, bool? Met, string Rule);
