using System.Numerics;
using MlNetInverse.Physics.Runtime;
using static TorchSharp.torch;

namespace MlNetInverse.Physics.Rcwa;

/// <summary>
/// Plane-wave modes of a homogeneous medium: the E-field basis is the identity, kz/k0 = q = sqrt(eps - kx^2 - ky^2)
/// per order (Im q &gt;= 0, Re q &gt;= 0 for real q), and h = V e with V made of four diagonal blocks, so applying V
/// costs O(nG) per column instead of a dense product.
/// </summary>
internal sealed class UniformModes
{
    private readonly Complex[] _q;

    public UniformModes(Complex eps, double[] kx, double[] ky)
    {
        int n = kx.Length;
        _q = new Complex[n];
        var a = new Complex[n]; var b = new Complex[n]; var c = new Complex[n]; var d = new Complex[n];
        for (int g = 0; g < n; g++)
        {
            var q = ForwardRoot(eps - kx[g] * kx[g] - ky[g] * ky[g]);
            _q[g] = q;
            a[g] = -kx[g] * ky[g] / q;
            b[g] = (kx[g] * kx[g] - eps) / q;
            c[g] = (eps - ky[g] * ky[g]) / q;
            d[g] = ky[g] * kx[g] / q;
        }
        Q = ComplexTensor.From(_q.Concat(_q).ToArray());
        A = ComplexTensor.From(a).unsqueeze(1); B = ComplexTensor.From(b).unsqueeze(1);
        C = ComplexTensor.From(c).unsqueeze(1); D = ComplexTensor.From(d).unsqueeze(1);
        Count = n;
    }

    /// <summary>Number of harmonics nG.</summary>
    public int Count { get; }

    /// <summary>kz / k0 of the 2nG modes (the nG values twice: x block then y block).</summary>
    public Tensor Q { get; }

    private Tensor A { get; }
    private Tensor B { get; }
    private Tensor C { get; }
    private Tensor D { get; }

    /// <summary>The smallest |q^2| over the orders: zero on a Rayleigh anomaly (an order grazing in this medium).</summary>
    public static double SmallestSquaredRoot(Complex eps, double[] kx, double[] ky)
    {
        double smallest = double.PositiveInfinity;
        for (int g = 0; g < kx.Length; g++) smallest = Math.Min(smallest, Complex.Abs(eps - kx[g] * kx[g] - ky[g] * ky[g]));
        return smallest;
    }

    /// <summary>V @ m for a [2nG, k] matrix m.</summary>
    public Tensor Apply(Tensor m)
    {
        var top = m.narrow(0, 0, Count);
        var bottom = m.narrow(0, Count, Count);
        return cat(new[] { (A * top).PlusInPlace(B * bottom), (C * top).PlusInPlace(D * bottom) }, 0);
    }

    /// <summary>V as a dense [2nG, 2nG] matrix.</summary>
    public Tensor Dense() => Apply(eye(2 * Count, dtype: ScalarType.ComplexFloat64));

    /// <summary>The root of q^2 that carries power forward (+z) or decays forward: Im q &gt; 0, or q &gt;= 0 when real.</summary>
    public static Complex ForwardRoot(Complex squared)
    {
        var q = Complex.Sqrt(squared);
        if (q.Imaginary < 0 || (q.Imaginary == 0 && q.Real < 0)) q = -q;
        return q;
    }
}
