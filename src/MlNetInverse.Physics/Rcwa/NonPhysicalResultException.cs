namespace MlNetInverse.Physics.Rcwa;

/// <summary>
/// An RCWA response that energy conservation forbids (R or T outside [0, 1], or negative absorption without a gain
/// medium). It comes from a period or wavelength far outside what the harmonics resolve, never from physics, so no
/// judge may use it as a label or a REP.
/// </summary>
public sealed class NonPhysicalResultException : InvalidOperationException
{
    /// <summary>An exception with the one-line description of the first problem.</summary>
    public NonPhysicalResultException(string message)
        : base(message)
    {
    }
}
