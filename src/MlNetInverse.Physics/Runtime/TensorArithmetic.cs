using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Physics.Runtime;

/// <summary>
/// Tensor arithmetic whose scalars outlive the native call. TorchSharp 0.107 passes a <see cref="Scalar"/>'s handle to
/// libtorch and keeps no reference to it while the call runs, and Scalars are not tracked by dispose scopes; a
/// temporary one (an implicit conversion such as <c>t * 2.0</c>, or the hidden alpha = 1 of <c>a + b</c>,
/// <c>add(b)</c>, <c>add(scalar)</c> and <c>add_(b)</c>, the exponent of <c>square()</c>, the three of <c>elu</c>) can be
/// finalised by a garbage collection that another thread starts, mid-call: "Expected false to be true ...
/// toComplexDouble", or a wrong alpha that ends a training in NaN. Measured: 10 failures in 82,585 <c>a.add(b)</c>
/// calls on two threads under collections, none with a held alpha. Product code uses these (or
/// <see cref="HeldScalar"/>) instead; a test scans the assemblies' IL for any call that still makes such a Scalar.
/// </summary>
public static class TensorArithmetic
{
    // Static fields root them for the life of the process; libtorch only reads them, so threads may share them. Each
    // has the type the implicit conversion it replaces would give, so results are bit-identical.
    private static readonly Scalar One = 1.ToScalar();
    private static readonly Scalar Two = 2.ToScalar();
    private static readonly Scalar OneDouble = 1.0.ToScalar();

    /// <summary><paramref name="left"/> + <paramref name="right"/> (a new tensor).</summary>
    public static Tensor Plus(this Tensor left, Tensor right) => left.add(right, One);

    /// <summary><paramref name="tensor"/> + <paramref name="value"/> (a new tensor); pass a <see cref="HeldScalar"/>.</summary>
    public static Tensor Plus(this Tensor tensor, Scalar value) => tensor.add(value, One);

    /// <summary><paramref name="tensor"/> + <paramref name="value"/> (a new tensor), for values that change from call to call.</summary>
    public static Tensor Plus(this Tensor tensor, double value)
    {
        using var scalar = value.ToScalar();
        return tensor.add(scalar, One);
    }

    /// <summary><paramref name="left"/> += <paramref name="right"/> in place; returns <paramref name="left"/>.</summary>
    public static Tensor PlusInPlace(this Tensor left, Tensor right) => left.add_(right, One);

    /// <summary><paramref name="tensor"/> += <paramref name="value"/> in place; returns <paramref name="tensor"/>. Pass a <see cref="HeldScalar"/>.</summary>
    public static Tensor PlusInPlace(this Tensor tensor, Scalar value) => tensor.add_(value, One);

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

    /// <summary>Element-wise square (what <c>square()</c> computes: <c>pow(2)</c>).</summary>
    public static Tensor Squared(this Tensor tensor) => tensor.pow(Two);

    /// <summary>ELU with alpha 1 (what <c>nn.functional.elu(x, 1.0)</c> computes).</summary>
    public static Tensor Elu(this Tensor tensor) => tensor.elu(OneDouble, OneDouble, OneDouble);
}
