using MlNetInverse.Physics.Runtime;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Physics.Runtime;

/// <summary>
/// The product's torch code never makes a Scalar that a collection on another thread can free mid-call (the cause of
/// the tiny trainings that ended in NaN when the suite ran in parallel; see <see cref="TensorArithmetic"/>).
/// </summary>
public sealed class TemporaryScalarTests(ITestOutputHelper output)
{
    private static readonly Lazy<TemporaryScalarScan> Scan = new(() => new TemporaryScalarScan(typeof(torch).Assembly.Location));

    [Fact]
    public void GivenTheProductAssemblies_WhenTheirIlIsScanned_ThenNoTorchCallMakesAScalarThatNobodyHolds()
    {
        output.WriteLine($"TorchSharp methods that make a temporary Scalar (directly or through others): {Scan.Value.UnsafeTorchMethodCount}");
        var offences = ProductAssemblies.Paths
            .SelectMany(path => Scan.Value.Offences(path, "MlNetInverse.", typeof(HeldScalar).FullName!))
            .ToList();
        foreach (var offence in offences) output.WriteLine(offence);
        Assert.True(offences.Count == 0,
            $"{offences.Count} torch calls make a Scalar nobody holds; use TensorArithmetic or HeldScalar:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void GivenCodeWithTheKnownHazards_WhenScanned_ThenEachIsFoundAndTheHeldFormsAreNot()
    {
        var offences = Scan.Value.Offences(typeof(TemporaryScalarTests).Assembly.Location, typeof(Hazards).FullName!);

        Assert.Contains(offences, o => o.Contains("Hazards::Sum(") && o.Contains("op_Addition"));
        Assert.Contains(offences, o => o.Contains("Hazards::Half(") && o.Contains("Scalar::op_Implicit"));
        Assert.Contains(offences, o => o.Contains("Hazards::Square(") && o.Contains("::square()"));
        Assert.Contains(offences, o => o.Contains("Hazards::Leaky(") && o.Contains("forward makes temporary Scalars"));
        Assert.Contains(offences, o => o.Contains("Hazards::Unowned(") && o.Contains("ToScalar"));
        Assert.DoesNotContain(offences, o => o.Contains("Hazards::Held"));
        Assert.Equal(5, offences.Select(o => o[..o.IndexOf(" -> ", StringComparison.Ordinal)]).Distinct().Count());
    }

    /// <summary>Never run; only scanned.</summary>
    private static class Hazards
    {
        public static Tensor Sum(Tensor a, Tensor b) => a + b;

        public static Tensor Half(Tensor a) => a.mul(0.5);

        public static Tensor Square(Tensor a) => a.square();

        public static nn.Module<Tensor, Tensor> Leaky() => nn.LeakyReLU(0.2);

        public static Tensor Unowned(Tensor a) => a.mul(0.5.ToScalar());

        public static Tensor HeldSum(Tensor a, Tensor b) => a.Plus(b).Squared().mul(HeldScalar.Of(0.5));

        public static Tensor HeldDisposed(Tensor a)
        {
            using var half = 0.5.ToScalar();
            return a.mul(half);
        }
    }
}
