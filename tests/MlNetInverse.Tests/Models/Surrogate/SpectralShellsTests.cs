using MlNetInverse.Models.Surrogate;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models.Surrogate;

public sealed class SpectralShellsTests
{
    private static Tensor Images(Func<int, int, double> pixel, int size = 64)
    {
        var values = new float[size * size];
        for (int x = 0; x < size; x++)
            for (int y = 0; y < size; y++) values[x * size + y] = (float)pixel(x, y);
        return tensor(values, [1, 1, size, size]);
    }

    [Fact]
    public void GivenACosineGratingOfTwoCyclesAlongX_WhenMeasured_ThenOnlyTheShellOfKSquaredFourHoldsItsPower()
    {
        var shells = new SpectralShells(64, 13);
        // 0.5 + 0.5 cos(2 pi 2 x / 64): the +-(2, 0) components are 0.25 each, power 2 x 0.0625, times the scale 10.
        using var images = Images((x, _) => 0.5 + 0.5 * Math.Cos(2 * Math.PI * 2 * x / 64));

        var power = shells.Of(images).data<float>().ToArray();

        Assert.Equal(new[] { 1, 2, 4, 5, 8, 9, 10, 13 }, shells.Shells);
        for (int i = 0; i < power.Length; i++)
            Assert.Equal(shells.Shells[i] == 4 ? 1.25 : 0.0, power[i], 4);
    }

    [Fact]
    public void GivenAMapAndItsCircularShiftAndRotation_WhenMeasured_ThenTheShellsAreTheSame()
    {
        var random = new Random(3);
        var map = new double[64, 64];
        for (int x = 0; x < 64; x++) for (int y = 0; y < 64; y++) map[x, y] = random.Next(2);
        var shells = new SpectralShells(64, 20);
        using var original = Images((x, y) => map[x, y]);
        using var shifted = Images((x, y) => map[(x + 17) % 64, (y + 40) % 64]);
        using var rotated = Images((x, y) => map[y, 63 - x]);

        var a = shells.Of(original).data<float>().ToArray();
        var b = shells.Of(shifted).data<float>().ToArray();
        var c = shells.Of(rotated).data<float>().ToArray();

        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i], b[i], 4);
            Assert.Equal(a[i], c[i], 4);
        }
    }

    [Fact]
    public void GivenASurrogateWithShells_WhenTheHeadsShellWeightsAreZeroed_ThenThePredictionChanges()
    {
        var options = new AbsorptionSurrogateOptions { ImageSize = 16, BaseChannels = 2, HiddenUnits = 8, SpectralShells = 5 };
        using var model = new AbsorptionSurrogateModel(options, seed: 1);
        using var without = new AbsorptionSurrogateModel(options with { SpectralShells = 0 }, seed: 1);
        var random = new Random(5);
        var map = new double[16, 16];
        for (int x = 0; x < 16; x++) for (int y = 0; y < 16; y++) map[x, y] = random.Next(2);
        using var images = Images((x, y) => map[x, y], 16);

        using var noGrad = no_grad();
        float before = model.call(images).item<float>();
        var head = model.named_parameters().First(p => p.name == "head.0.weight").parameter;
        // Shells 1, 2, 4, 5 (|k|^2 <= 5) follow the 7c + 1 trunk features.
        head.narrow(1, 7 * 2 + 1, 4).zero_();
        float after = model.call(images).item<float>();

        Assert.NotEqual(before, after);
        Assert.Equal(new long[] { 8, 7 * 2 + 1 + 4 }, head.shape);
        Assert.Equal(new long[] { 8, 7 * 2 + 1 }, without.named_parameters().First(p => p.name == "head.0.weight").parameter.shape);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(33)]
    public void GivenAShellOutOfRange_WhenOptionsAreChecked_ThenTheErrorNamesIt(int shells)
    {
        var e = Assert.Throws<ArgumentException>(() => new AbsorptionSurrogateOptions { ImageSize = 16, SpectralShells = shells }.Validate());
        Assert.Contains("SpectralShells", e.Message);
    }
}
