using System.Numerics;
using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Tests.Physics.Microstructures;

public sealed class LatticeFourierTransformTests
{
    [Theory]
    [InlineData(8)]  // radix-2 path
    [InlineData(6)]  // direct path
    public void GivenARandomField_WhenTransformedForward_ThenItMatchesTheTextbookDft(int n)
    {
        var rng = new Random(3);
        var re = Enumerable.Range(0, n * n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var im = Enumerable.Range(0, n * n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var expected = new Complex[n * n];
        for (int kx = 0; kx < n; kx++)
            for (int ky = 0; ky < n; ky++)
                for (int x = 0; x < n; x++)
                    for (int y = 0; y < n; y++)
                        expected[kx * n + ky] += new Complex(re[x * n + y], im[x * n + y])
                            * Complex.FromPolarCoordinates(1, -2 * Math.PI * (kx * x + ky * y) / n);
        new LatticeFourierTransform(n).Transform(re, im, inverse: false);
        for (int i = 0; i < n * n; i++)
        {
            Assert.Equal(expected[i].Real, re[i], 1e-12);
            Assert.Equal(expected[i].Imaginary, im[i], 1e-12);
        }
    }

    [Fact]
    public void GivenAField_WhenTransformedForwardThenInverse_ThenNTimesNTimesTheFieldComesBack()
    {
        const int n = 16;
        var rng = new Random(5);
        var original = Enumerable.Range(0, n * n).Select(_ => rng.NextDouble()).ToArray();
        var re = (double[])original.Clone();
        var im = new double[n * n];
        var transform = new LatticeFourierTransform(n);
        transform.Transform(re, im, inverse: false);
        transform.Transform(re, im, inverse: true);
        for (int i = 0; i < n * n; i++)
        {
            Assert.Equal(original[i], re[i] / (n * n), 1e-13);
            Assert.Equal(0, im[i] / (n * n), 1e-13);
        }
    }

    [Fact]
    public void GivenWrongLengths_WhenTransformed_ThenTheMessageNamesBothLengths()
    {
        var ex = Assert.Throws<ArgumentException>(() => new LatticeFourierTransform(4).Transform(new double[15], new double[16], false));
        Assert.Contains("15", ex.Message);
    }
}
