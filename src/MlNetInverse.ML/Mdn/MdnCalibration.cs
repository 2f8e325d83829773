using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.ML.Mdn;

/// <summary>
/// What the generation chain actually delivers when the MDN is conditioned on a value: for each conditioning value
/// c_i (increasing), the mean surrogate absorption A_i of the designs decoded from its draws (made non-decreasing).
/// An MDN transformer with a calibration conditions on the c whose A equals the target (piecewise-linear inverse),
/// which removes the systematic offset between the MDN's conditioning value and the absorption of its decoded designs.
/// Targets beyond the achieved range condition on the nearest end.
/// </summary>
/// <param name="Conditions">Conditioning values c_i, strictly increasing (absorption units).</param>
/// <param name="Achieved">Mean surrogate absorption A_i of the designs decoded from draws at c_i, non-decreasing.</param>
public sealed record MdnCalibration(IReadOnlyList<double> Conditions, IReadOnlyList<double> Achieved)
{
    /// <summary>The conditioning value whose designs reach <paramref name="target"/> on average.</summary>
    public double ConditionFor(double target)
    {
        int n = Conditions.Count;
        if (target <= Achieved[0]) return Conditions[0];
        if (target >= Achieved[n - 1]) return Conditions[n - 1];
        // The first point reaching the target and the last one below it bound the segment (flat stretches included).
        int upper = 1;
        while (Achieved[upper] < target) upper++;
        int lower = upper - 1;
        double span = Achieved[upper] - Achieved[lower];
        return Conditions[lower] + (Conditions[upper] - Conditions[lower]) * (target - Achieved[lower]) / span;
    }

    /// <summary>A calibration from measured means, made non-decreasing by a running maximum.</summary>
    /// <exception cref="ArgumentException">Fewer than 2 points, lengths that differ, conditions not strictly increasing, or a non-finite value.</exception>
    public static MdnCalibration FromMeasurements(IReadOnlyList<double> conditions, IReadOnlyList<double> meanAbsorption)
    {
        var achieved = meanAbsorption.ToArray();
        for (int i = 1; i < achieved.Length; i++) achieved[i] = Math.Max(achieved[i], achieved[i - 1]);
        var calibration = new MdnCalibration(conditions.ToArray(), achieved);
        calibration.Validate();
        return calibration;
    }

    /// <summary>Checks the table.</summary>
    /// <exception cref="ArgumentException">Fewer than 2 points, lengths that differ, conditions not strictly increasing, achieved values decreasing, or a non-finite value.</exception>
    public void Validate()
    {
        if (Conditions is null || Achieved is null || Conditions.Count < 2 || Conditions.Count != Achieved.Count)
            throw new ArgumentException($"An MDN calibration needs at least 2 (condition, achieved) pairs of equal count; got {Conditions?.Count ?? 0} and {Achieved?.Count ?? 0}.");
        for (int i = 0; i < Conditions.Count; i++)
        {
            if (!double.IsFinite(Conditions[i]) || !double.IsFinite(Achieved[i]))
                throw new ArgumentException($"MDN calibration point {i} ({Text(Conditions[i])}, {Text(Achieved[i])}) is not finite.");
            if (i > 0 && !(Conditions[i] > Conditions[i - 1]))
                throw new ArgumentException($"MDN calibration conditions must increase; point {i} ({Text(Conditions[i])}) follows {Text(Conditions[i - 1])}.");
            if (i > 0 && Achieved[i] < Achieved[i - 1])
                throw new ArgumentException($"MDN calibration achieved values must not decrease; point {i} ({Text(Achieved[i])}) follows {Text(Achieved[i - 1])}.");
        }
    }
}
