namespace MlNetInverse.Physics.Morphology;

/// <summary>What a set of generated maps must meet to be called as real as the data at a target.</summary>
public sealed record MorphologyBar
{
    /// <summary>The bar of issue 12: within 2x the data's spread, seam ratio within [1/1.3, 1.3], a peak within one bin.</summary>
    public static MorphologyBar Default { get; } = new();

    /// <summary>
    /// A distance to the data passes when it is at most this multiple of the data's own spread (scaled to the set's
    /// size; for counts at least one event in one map of the set); the isolated-pixel rate may exceed the data's by at
    /// most this multiple of its spread. Default 2.
    /// </summary>
    public double SpreadFactor { get; init; } = 2.0;

    /// <summary>Largest seam ratio (edge disagreement over interior disagreement) a periodic cell may show. Default 1.3.</summary>
    public double MaxSeamRatio { get; init; } = 1.3;

    /// <summary>
    /// Smallest seam ratio: a decoder can also make the cell edge too uniform (a frame), which is as unlike the
    /// periodic data as a seam. Default 1 / 1.3.
    /// </summary>
    public double MinSeamRatio { get; init; } = 1 / 1.3;

    /// <summary>
    /// Smallest allowed difference of the spectrum's peak radius (cycles per cell): the peak is a bin index, so a
    /// spread of 0 would otherwise fail a one-bin shift that is within the measurement's resolution. Default 1.
    /// </summary>
    public double PeakToleranceBins { get; init; } = 1.0;
}
