using System.Numerics;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Physics.Rcwa;

/// <summary>
/// Fourier-space permittivity of one pixel map for the patterned layer. Pixel value p mixes eps linearly:
/// eps = eps_b + (eps_a - eps_b) p. Laurent's rule is linear in p, so its convolution matrix of p is built once per
/// pattern and rescaled per wavelength; Li's rule needs 1/eps per pixel and is rebuilt per wavelength.
/// </summary>
internal sealed class PatternedLayerPermittivity : IDisposable
{
    private readonly HarmonicGrid _grid;
    private readonly PixelFourierBasis _basis;
    private readonly Tensor _pixels;                 // [N, N] float64, first index x
    private readonly Tensor? _pixelConvolution;      // Laurent: Toeplitz of the coefficients of p
    private readonly FourierFactorization _factorization;

    public PatternedLayerPermittivity(HarmonicGrid grid, PixelFourierBasis basis, double[] pixels, FourierFactorization factorization)
    {
        _grid = grid;
        _basis = basis;
        _factorization = factorization;
        int n = basis.Pixels;
        _pixels = tensor(pixels, new long[] { n, n });
        using var scope = NewDisposeScope();
        var coefficients = basis.Coefficients2D(_pixels.to_type(ScalarType.ComplexFloat64));
        _pixelConvolution = grid.Toeplitz(coefficients).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Convolution matrices at one wavelength: <c>Epsilon</c> (Laurent, whose inverse gives the z term), and the
    /// in-plane <c>EpsilonXX</c> (acts on Ex) and <c>EpsilonYY</c> (acts on Ey). All [nG, nG] complex128.
    /// </summary>
    public (Tensor Epsilon, Tensor EpsilonXX, Tensor EpsilonYY) At(Complex epsA, Complex epsB)
    {
        var identity = eye(_grid.Count, dtype: ScalarType.ComplexFloat64);
        var epsilon = identity.Times(epsB).PlusInPlace(_pixelConvolution!.Times(epsA - epsB));
        if (_factorization == FourierFactorization.Laurent) return (epsilon, epsilon, epsilon);

        // Li's inverse rule: Ex is normal to the interfaces met along x, so along x the Toeplitz matrix of 1/eps is
        // inverted (one small matrix per pixel column y), and the result is expanded along y by Laurent's rule.
        int s = _grid.Side, n = _basis.Pixels;
        var inverseEps = _pixels.to_type(ScalarType.ComplexFloat64).Times(epsA - epsB).PlusInPlace(epsB).reciprocal_();
        var index = _grid.OneDimensionalToeplitzIndex;
        var basisToeplitz = _basis.Basis.index_select(0, index).view(s, s, n).permute(2, 0, 1);   // [pixel, a, b] = B[a-b, pixel]

        var alongX = _basis.Basis.matmul(inverseEps);                                               // [k, y]
        var toeplitzX = alongX.index_select(0, index).view(s, s, n).permute(2, 0, 1);               // [y, m, m']
        var epsXX = einsum("jab,jcd->acbd", linalg.inv(toeplitzX), basisToeplitz).reshape(_grid.Count, _grid.Count);

        var alongY = inverseEps.matmul(_basis.Basis.transpose(0, 1));                               // [x, k]
        var toeplitzY = alongY.index_select(1, index).view(n, s, s);                                // [x, n, n']
        var epsYY = einsum("iab,icd->acbd", basisToeplitz, linalg.inv(toeplitzY)).reshape(_grid.Count, _grid.Count);
        return (epsilon, epsXX, epsYY);
    }

    public void Dispose()
    {
        _pixels.Dispose();
        _pixelConvolution?.Dispose();
    }
}
