using System.Numerics;
using static TorchSharp.torch;

namespace MlNetInverse.Physics.Rcwa;

/// <summary>
/// Exact Fourier coefficients of a piecewise-constant pixel function on [0, L): pixel i covers [i, i+1) L/N, so
/// c_k = (1/N) sum_i f_i exp(-i pi k (2i+1) / N) sinc(k/N) = DFT_N(f)[k mod N] / N * exp(-i pi k / N) * sinc(k / N).
/// The basis row k (k = -2M..2M) is stored at index k + 2M; coefficients of a 2-D map are B f B^T.
/// </summary>
internal sealed class PixelFourierBasis : IDisposable
{
    public PixelFourierBasis(int pixels, int order)
    {
        Pixels = pixels;
        int rows = 4 * order + 1;
        var values = new Complex[rows * pixels];
        for (int r = 0; r < rows; r++)
        {
            int k = r - 2 * order;
            double sinc = k == 0 ? 1.0 : Math.Sin(Math.PI * k / pixels) / (Math.PI * k / pixels);
            for (int i = 0; i < pixels; i++)
                values[r * pixels + i] = Complex.FromPolarCoordinates(sinc / pixels, -Math.PI * k * (2 * i + 1) / pixels);
        }
        // Cached across calls, so it must outlive whichever dispose scope happens to create it.
        Basis = ComplexTensor.From(values, rows, pixels).DetachFromDisposeScope();
    }

    /// <summary>Pixels per edge N.</summary>
    public int Pixels { get; }

    /// <summary>[(4M+1), N] complex128 basis.</summary>
    public Tensor Basis { get; }

    /// <summary>Coefficient table [(4M+1), (4M+1)] of a complex [N, N] map (first index x).</summary>
    public Tensor Coefficients2D(Tensor map) => Basis.matmul(map).matmul(Basis.transpose(0, 1));

    public void Dispose() => Basis.Dispose();
}
