namespace MlNetInverse.Physics.Statistics;

/// <summary>A two-sided confidence interval [<paramref name="Lower"/>, <paramref name="Upper"/>] of a statistic.</summary>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
public readonly record struct ConfidenceInterval(double Lower, double Upper)
{
    /// <summary>Upper - Lower.</summary>
    public double Width => Upper - Lower;

    /// <summary>True when <paramref name="value"/> lies in [Lower, Upper].</summary>
    public bool Contains(double value) => value >= Lower && value <= Upper;
}
