using System.Collections.Concurrent;
using TorchSharp;

namespace MlNetInverse.Physics.Runtime;

/// <summary>
/// Scalars for TorchSharp ops that stay alive. TorchSharp frees a <see cref="Scalar"/> in its finalizer, and the Scalar an
/// implicit conversion makes (<c>tensor.mul(0.5)</c>) is garbage as soon as the op has read its handle: under memory
/// pressure the GC can finalize it while the native op still reads it, a use-after-free that shows as NaN losses in tiny
/// trainings when other work loads the machine. A Scalar from here is made once per value and type and held for the
/// process; it has the type the implicit conversion would give, so results are bit-identical.
/// </summary>
public static class HeldScalar
{
    private static readonly ConcurrentDictionary<double, Scalar> Doubles = new();
    private static readonly ConcurrentDictionary<long, Scalar> Longs = new();
    private static readonly ConcurrentDictionary<int, Scalar> Ints = new();

    /// <summary>A held float64 Scalar of <paramref name="value"/> (as <c>double</c> converts implicitly).</summary>
    public static Scalar Of(double value) => Doubles.GetOrAdd(value, static v => v.ToScalar());

    /// <summary>A held int64 Scalar of <paramref name="value"/> (as <c>long</c> converts implicitly).</summary>
    public static Scalar Of(long value) => Longs.GetOrAdd(value, static v => v.ToScalar());

    /// <summary>A held int32 Scalar of <paramref name="value"/> (as <c>int</c> converts implicitly).</summary>
    public static Scalar Of(int value) => Ints.GetOrAdd(value, static v => v.ToScalar());
}
