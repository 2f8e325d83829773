namespace MlNetInverse.Physics.Rcwa;

/// <summary>How the in-plane permittivity of the patterned layer is expanded in Fourier harmonics.</summary>
public enum FourierFactorization
{
    /// <summary>Laurent's rule: the convolution matrix of eps for every field component.</summary>
    Laurent,

    /// <summary>
    /// Li's inverse rule for pixel maps: eps_xx is the inverse of the x-Toeplitz matrix of 1/eps, Laurent along y
    /// (eps_yy likewise with x and y swapped). Converges faster on sharp, high-contrast pixel maps.
    /// </summary>
    Li,
}
