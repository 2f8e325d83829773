namespace MlNetInverse.Physics.Microstructures;

/// <summary>The three parameters of a GRF microstructure (as in the paper) plus the SDF family.</summary>
/// <param name="Family">SDF shape.</param>
/// <param name="MeanWavenumber">Ring centre |k| in cycles per unit cell (integer k-grid of the N x N cell).</param>
/// <param name="StdWavenumber">Ring (or Gaussian) width in cycles per unit cell, &gt; 0.</param>
/// <param name="VolumeFraction">Fraction of pixels that are material A, in (0, 1).</param>
public sealed record GrfParameters(SpectralDensityFamily Family, double MeanWavenumber, double StdWavenumber, double VolumeFraction);
