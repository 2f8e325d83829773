namespace MlNetInverse.Physics.Rcwa;

/// <summary>The stack's response at one wavelength for x- and y-polarised normal incidence.</summary>
/// <param name="WavelengthNm">The wavelength asked for, in nm.</param>
/// <param name="X">E along x (the first pixel index).</param>
/// <param name="Y">E along y.</param>
/// <param name="SolvedWavelengthNm">
/// The wavelength actually solved. It differs from <paramref name="WavelengthNm"/> only on a Rayleigh anomaly (a diffraction order
/// grazing in the superstrate or substrate, kz = 0), where the solver shifts it by a relative 1e-9 to stay finite.
/// </param>
public sealed record WavelengthResponse(double WavelengthNm, PolarizationResponse X, PolarizationResponse Y, double SolvedWavelengthNm)
{
    /// <summary>True when the wavelength sat on a Rayleigh anomaly and was shifted (see <see cref="SolvedWavelengthNm"/>).</summary>
    public bool OnRayleighAnomaly => SolvedWavelengthNm != WavelengthNm;

    /// <summary>Unpolarised absorption in the patterned layer, (A_x + A_y) / 2.</summary>
    public double PatternedLayerAbsorptance => 0.5 * (X.PatternedLayerAbsorptance + Y.PatternedLayerAbsorptance);

    /// <summary>Unpolarised total absorptance 1 - R - T, averaged over x and y.</summary>
    public double AverageAbsorptance => 0.5 * (X.Absorptance + Y.Absorptance);
}
