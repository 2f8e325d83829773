namespace MlNetInverse.Physics.Rcwa;

/// <summary>The response of a stack over all its wavelengths, and the scalar property derived from it.</summary>
public sealed record StackResponse(IReadOnlyList<WavelengthResponse> Wavelengths)
{
    /// <summary>
    /// The product's property "absorption": the average over the stack's wavelengths of the unpolarised absorption
    /// in the patterned layer.
    /// </summary>
    public double Absorption => Wavelengths.Average(w => w.PatternedLayerAbsorptance);

    /// <summary>
    /// The first result energy conservation forbids, described in one line, or null: R or T outside [0, 1], or (without
    /// a gain medium) negative absorption, beyond <paramref name="tolerance"/>. Such numbers come from a period or
    /// wavelength far outside what the harmonics resolve, not from physics.
    /// </summary>
    /// <param name="gainMedium">The stack amplifies light (see <see cref="Optics.OpticalStack.HasGainMedium"/>): negative absorption is then allowed.</param>
    /// <param name="tolerance">Allowed excursion (default 1e-6, well above the solver's round-off).</param>
    public string? EnergyBalanceProblem(bool gainMedium, double tolerance = 1e-6)
    {
        foreach (var w in Wavelengths)
        {
            foreach (var (name, p) in new[] { ("x", w.X), ("y", w.Y) })
            {
                string at = FormattableString.Invariant($"at {w.WavelengthNm} nm ({name} polarisation)");
                if (!double.IsFinite(p.Reflectance) || p.Reflectance < -tolerance || (!gainMedium && p.Reflectance > 1 + tolerance))
                    return FormattableString.Invariant($"R = {p.Reflectance:G6} {at}");
                if (!double.IsFinite(p.Transmittance) || p.Transmittance < -tolerance || (!gainMedium && p.Transmittance > 1 + tolerance))
                    return FormattableString.Invariant($"T = {p.Transmittance:G6} {at}");
                if (!gainMedium && p.Absorptance < -tolerance)
                    return FormattableString.Invariant($"A = 1 - R - T = {p.Absorptance:G6} {at}");
            }
        }
        return null;
    }
}
