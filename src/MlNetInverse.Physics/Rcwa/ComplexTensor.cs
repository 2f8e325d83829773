using System.Numerics;
using static TorchSharp.torch;

namespace MlNetInverse.Physics.Rcwa;

/// <summary>Builds complex128 tensors from .NET complex numbers.</summary>
internal static class ComplexTensor
{
    // torch.tensor(Complex[]) in TorchSharp 0.107 yields a tensor that crashes libtorch's vectorised kernels
    // (segfault in the first add or mul), so complex tensors are assembled from their real and imaginary parts.
    public static Tensor From(Complex[] values, params long[] shape)
    {
        var real = new double[values.Length];
        var imaginary = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            real[i] = values[i].Real;
            imaginary[i] = values[i].Imaginary;
        }
        if (shape.Length == 0) shape = new long[] { values.Length };
        using var re = tensor(real, shape);
        using var im = tensor(imaginary, shape);
        return complex(re, im);
    }
}
