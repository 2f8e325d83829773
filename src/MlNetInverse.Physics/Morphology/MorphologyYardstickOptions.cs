namespace MlNetInverse.Physics.Morphology;

/// <summary>How <see cref="MorphologyYardstick"/> picks the data at a target and splits it into halves.</summary>
public sealed record MorphologyYardstickOptions
{
    /// <summary>Half-width of the absorption window around the target (absorption units). Default 0.01.</summary>
    public double Window { get; init; } = 0.01;

    /// <summary>Seed of the random halvings. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>
    /// Random halvings; the spread is the largest half-vs-half distance among them (one halving is a single noisy draw
    /// of the data's spread). Default 16.
    /// </summary>
    public int Splits { get; init; } = 16;
}
