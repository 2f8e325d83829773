using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Physics.Runtime;

/// <summary>
/// Tensor arithmetic whose scalars outlive the native call. TorchSharp 0.107 passes a <see cref="Scalar"/>'s handle to
/// libtorch and keeps no reference to it while the call runs, and Scalars are not tracked by dispose scopes; a
/// temporary one (an implicit conversion such as <c>t * 2.0</c>, or the hidden alpha = 1 of <c>a + b</c>,
/// <c>add(b)</c> and <c>add_(b)</c>) can be finalised by a garbage collection that another thread starts, mid-call:
/// "Expected false to be true ... toComplexDouble" or worse. Measured: 10 failures in 82,585 <c>a.add(b)</c> calls on
/// two threads under collections, none with a held alpha. Code that runs torch on several threads uses these instead.
/// </summary>
public static class TensorArithmetic
{
    // A static field roots it for the life of the process; libtorch only reads it, so threads may share it.
    private static readonly Scalar One = 1.ToScalar();

    /// <summary><paramref name="left"/> + <paramref name="right"/> (a new tensor).</summary>
    public static Tensor Plus(this Tensor left, Tensor right) => left.add(right, One);

    /// <summary><paramref name="left"/> += <paramref name="right"/> in place; returns <paramref name="left"/>.</summary>
    public static Tensor PlusInPlace(this Tensor left, Tensor right) => left.add_(right, One);

    /// <summary><paramref name="tensor"/> += <paramref name="value"/> in place; returns <paramref name="tensor"/>.</summary>
    public static Tensor PlusInPlace(this Tensor tensor, Complex value)
    {
        using var scalar = value.ToScalar();
        return tensor.add_(scalar, One);
    }

    /// <summary><paramref name="tensor"/> x <paramref name="factor"/> (a new tensor).</summary>
    public static Tensor Times(this Tensor tensor, Complex factor)
    {
        using var scalar = factor.ToScalar();
        return tensor.mul(scalar);
    }

    /// <summary><paramref name="tensor"/> x <paramref name="factor"/> (a new tensor).</summary>
    public static Tensor Times(this Tensor tensor, double factor)
    {
        using var scalar = factor.ToScalar();
        return tensor.mul(scalar);
    }
}
