namespace MlNetInverse.Physics.Microstructures;

/// <summary>Shape of the spectral density function (SDF) of a Gaussian random field.</summary>
public enum SpectralDensityFamily
{
    /// <summary>A ring: S(k) ~ exp(-(|k| - mean)^2 / (2 std^2)). The family of the paper's data.</summary>
    Ring,

    /// <summary>A centred Gaussian: S(k) ~ exp(-|k|^2 / (2 std^2)); the mean is not used.</summary>
    Gaussian,

    /// <summary>A flat annulus: S(k) = 1 for mean - std &lt;= |k| &lt;= mean + std, else 0.</summary>
    Uniform,
}
