using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Baselines.Optimization;

/// <summary>
/// The design variables of the optimisation baseline: the three GRF parameters (mean wavenumber, std wavenumber,
/// volume fraction), each mapped linearly from [0, 1] onto its dataset range, so the optimiser searches exactly the
/// box the training data was drawn from.
/// </summary>
public sealed class GrfDesignSpace
{
    /// <summary>Design variables: mean wavenumber, std wavenumber, volume fraction.</summary>
    public const int Dimension = 3;

    /// <summary>Creates the space for <paramref name="ranges"/> (validated for <paramref name="size"/> x <paramref name="size"/> cells).</summary>
    /// <exception cref="ArgumentException">Invalid ranges.</exception>
    public GrfDesignSpace(GrfParameterRanges ranges, int size = Microstructure.DefaultSize)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        ranges.Validate(size);
        Ranges = ranges;
    }

    /// <summary>The parameter box.</summary>
    public GrfParameterRanges Ranges { get; }

    /// <summary>The GRF parameters at unit-cube point <paramref name="unit"/> (coordinates clamped to [0, 1]).</summary>
    /// <exception cref="ArgumentException">Not 3 finite coordinates.</exception>
    public GrfParameters ToParameters(IReadOnlyList<double> unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (unit.Count != Dimension || unit.Any(v => !double.IsFinite(v)))
            throw new ArgumentException($"A design point has {Dimension} finite coordinates in [0, 1]; got [{string.Join(", ", unit)}].", nameof(unit));
        return new GrfParameters(
            Ranges.Family,
            Ranges.MeanWavenumber.At(Math.Clamp(unit[0], 0, 1)),
            Ranges.StdWavenumber.At(Math.Clamp(unit[1], 0, 1)),
            Ranges.VolumeFraction.At(Math.Clamp(unit[2], 0, 1)));
    }

    /// <summary>The unit-cube point of <paramref name="parameters"/> (a fixed parameter, Min = Max, maps to 0).</summary>
    public double[] ToUnit(GrfParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return [Unit(Ranges.MeanWavenumber, parameters.MeanWavenumber), Unit(Ranges.StdWavenumber, parameters.StdWavenumber), Unit(Ranges.VolumeFraction, parameters.VolumeFraction)];
    }

    private static double Unit(ParameterRange range, double value) => range.Width > 0 ? (value - range.Min) / range.Width : 0;
}
