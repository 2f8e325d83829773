using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Physics.Rcwa;

/// <summary>
/// The plane-wave orders (m, n), |m|,|n| &lt;= M, flattened as g = (m + M) * (2M + 1) + (n + M); m runs along x (the
/// first pixel index), n along y. Holds the gather indices that turn a 2-D Fourier coefficient table into the
/// convolution (Toeplitz) matrix, so each pattern costs one gather instead of a loop.
/// </summary>
internal sealed class HarmonicGrid : IDisposable
{
    public HarmonicGrid(int order)
    {
        Order = order;
        Side = 2 * order + 1;
        Count = Side * Side;
        ZeroIndex = order * Side + order;
        XOrders = new double[Count];
        YOrders = new double[Count];
        var toeplitz = new long[Count * Count];
        int coefficientSide = 4 * order + 1;
        for (int g = 0; g < Count; g++)
        {
            XOrders[g] = g / Side - order;
            YOrders[g] = g % Side - order;
        }
        for (int g = 0; g < Count; g++)
            for (int h = 0; h < Count; h++)
            {
                long dm = (long)(XOrders[g] - XOrders[h]) + 2 * order;
                long dn = (long)(YOrders[g] - YOrders[h]) + 2 * order;
                toeplitz[g * Count + h] = dm * coefficientSide + dn;
            }
        ToeplitzIndex = tensor(toeplitz, new long[] { Count, Count }).DetachFromDisposeScope();
        var differences = new long[Side * Side];
        for (int a = 0; a < Side; a++)
            for (int b = 0; b < Side; b++) differences[a * Side + b] = a - b + 2 * order;
        OneDimensionalToeplitzIndex = tensor(differences).DetachFromDisposeScope();
    }

    /// <summary>Truncation order M.</summary>
    public int Order { get; }

    /// <summary>2M + 1.</summary>
    public int Side { get; }

    /// <summary>Number of harmonics nG = (2M + 1)^2.</summary>
    public int Count { get; }

    /// <summary>Flat index of the (0, 0) order.</summary>
    public int ZeroIndex { get; }

    /// <summary>m of each flat index.</summary>
    public double[] XOrders { get; }

    /// <summary>n of each flat index.</summary>
    public double[] YOrders { get; }

    /// <summary>[nG, nG] indices into a flattened [(4M+1), (4M+1)] coefficient table: entry (g, h) -> (m_g - m_h, n_g - n_h).</summary>
    public Tensor ToeplitzIndex { get; }

    /// <summary>[(2M+1)^2] indices a - b + 2M into a 1-D coefficient list, for 1-D Toeplitz matrices.</summary>
    public Tensor OneDimensionalToeplitzIndex { get; }

    /// <summary>In-plane wave vectors of every order divided by k0: kx = m * wavelength / period (normal incidence).</summary>
    public (double[] Kx, double[] Ky) NormalizedWaveVectors(double wavelengthNm, double periodNm)
    {
        double ratio = wavelengthNm / periodNm;
        return (Array.ConvertAll(XOrders, m => m * ratio), Array.ConvertAll(YOrders, n => n * ratio));
    }

    /// <summary>Convolution matrix [nG, nG] of a [(4M+1), (4M+1)] Fourier coefficient table.</summary>
    public Tensor Toeplitz(Tensor coefficients) => coefficients.reshape(-1).take(ToeplitzIndex);

    public void Dispose()
    {
        ToeplitzIndex.Dispose();
        OneDimensionalToeplitzIndex.Dispose();
    }
}
