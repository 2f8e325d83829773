namespace MlNetInverse.Physics.Rcwa;

/// <summary>The response of a stack over all its wavelengths, and the scalar property derived from it.</summary>
public sealed record StackResponse(IReadOnlyList<WavelengthResponse> Wavelengths)
{
    /// <summary>
    /// The product's property "absorption": the average over the stack's wavelengths of the unpolarised absorption
    /// in the patterned layer.
    /// </summary>
    public double Absorption => Wavelengths.Average(w => w.PatternedLayerAbsorptance);
}
