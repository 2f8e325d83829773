namespace MlNetInverse.Physics.Rcwa;

/// <summary>Power response of the stack to one incident polarisation, normalised to the incident power.</summary>
/// <param name="Reflectance">R: power reflected into the superstrate, all orders.</param>
/// <param name="Transmittance">T: power transmitted into the substrate, all propagating orders.</param>
/// <param name="PatternedLayerAbsorptance">Power absorbed in the patterned layer (net flux in at its top minus out at its bottom).</param>
public sealed record PolarizationResponse(double Reflectance, double Transmittance, double PatternedLayerAbsorptance)
{
    /// <summary>A = 1 - R - T: power absorbed anywhere in the stack.</summary>
    public double Absorptance => 1.0 - Reflectance - Transmittance;
}
