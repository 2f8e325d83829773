using System.Numerics;
using static TorchSharp.torch;

namespace MlNetInverse.Physics.Rcwa;

/// <summary>One finite layer at one wavelength, as the scattering solver sees it.</summary>
/// <param name="ThicknessNm">Thickness in nm.</param>
/// <param name="UniformEps">Permittivity of a homogeneous layer; null for the patterned layer.</param>
/// <param name="Epsilon">Patterned layer: Laurent convolution matrix of eps [nG, nG].</param>
/// <param name="EpsilonXX">Patterned layer: matrix acting on Ex.</param>
/// <param name="EpsilonYY">Patterned layer: matrix acting on Ey.</param>
internal sealed record LayerInput(double ThicknessNm, Complex? UniformEps, Tensor? Epsilon = null, Tensor? EpsilonXX = null, Tensor? EpsilonYY = null)
{
    public bool IsPatterned => UniformEps is null;
}
