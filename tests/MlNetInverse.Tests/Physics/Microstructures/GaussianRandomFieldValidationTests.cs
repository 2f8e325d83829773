using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Tests.Physics.Microstructures;

public sealed class GaussianRandomFieldValidationTests
{
    private readonly GaussianRandomFieldGenerator _generator = new();

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void GivenAVolumeFractionOutsideTheOpenUnitInterval_WhenGenerating_ThenTheErrorNamesIt(double vf)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _generator.Generate(new GrfParameters(SpectralDensityFamily.Ring, 8, 2, vf), 1));
        Assert.Equal("parameters.VolumeFraction", ex.ParamName);
        Assert.Contains("between 0 and 1", ex.Message);
    }

    [Theory]
    [InlineData(SpectralDensityFamily.Ring, 0.0)]
    [InlineData(SpectralDensityFamily.Gaussian, -1.0)]
    [InlineData(SpectralDensityFamily.Uniform, double.NaN)]
    [InlineData(SpectralDensityFamily.Ring, double.PositiveInfinity)]
    public void GivenANonPositiveOrNonFiniteStd_WhenGenerating_ThenTheErrorNamesIt(SpectralDensityFamily family, double std)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _generator.Generate(new GrfParameters(family, 8, std, 0.5), 1));
        Assert.Equal("parameters.StdWavenumber", ex.ParamName);
        Assert.Contains("greater than 0", ex.Message);
    }

    [Theory]
    [InlineData(SpectralDensityFamily.Ring, -1.0)]
    [InlineData(SpectralDensityFamily.Ring, 32.0)]
    [InlineData(SpectralDensityFamily.Uniform, 40.0)]
    [InlineData(SpectralDensityFamily.Uniform, double.NaN)]
    public void GivenARingOrAnnulusMeanOutsideZeroToNyquist_WhenGenerating_ThenTheErrorNamesItAndTheLimit(SpectralDensityFamily family, double mean)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _generator.Generate(new GrfParameters(family, mean, 2, 0.5), 1));
        Assert.Equal("parameters.MeanWavenumber", ex.ParamName);
        Assert.Contains("< 32", ex.Message);
    }

    [Fact]
    public void GivenAGaussianSdf_WhenTheMeanIsOutOfRange_ThenItIsIgnoredAsDocumented()
    {
        var map = _generator.Generate(new GrfParameters(SpectralDensityFamily.Gaussian, 100, 4, 0.5), 1);
        Assert.Equal(0.5, map.VolumeFraction);
    }

    [Fact]
    public void GivenAnAnnulusWithNoLatticeWaveVector_WhenGenerating_ThenItIsAnErrorAndNotNaN()
    {
        // 0.1 <= |k| <= 0.5 holds only k = 0, which carries no power.
        var ex = Assert.Throws<ArgumentException>(() => _generator.Generate(new GrfParameters(SpectralDensityFamily.Uniform, 0.3, 0.2, 0.5), 1));
        Assert.Equal("parameters", ex.ParamName);
        Assert.Contains("zero on every nonzero integer wave vector", ex.Message);
        // An annulus between lattice radii: |k| in [1.1, 1.3] contains no sqrt(integer) (1.21 < k^2 < 1.69).
        Assert.Throws<ArgumentException>(() => _generator.Generate(new GrfParameters(SpectralDensityFamily.Uniform, 1.2, 0.1, 0.5), 1));
    }

    [Fact]
    public void GivenNullOrAnUnknownFamily_WhenGenerating_ThenTheErrorIsClear()
    {
        Assert.Throws<ArgumentNullException>(() => _generator.Generate(null!, 1));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _generator.Generate(new GrfParameters((SpectralDensityFamily)7, 8, 2, 0.5), 1));
        Assert.Equal("parameters.Family", ex.ParamName);
    }

    [Theory]
    [InlineData(63)]
    [InlineData(2)]
    [InlineData(0)]
    public void GivenAnOddOrTinyCellSize_WhenConstructing_ThenTheErrorNamesTheSize(int size)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianRandomFieldGenerator(size));
        Assert.Equal("size", ex.ParamName);
    }

    [Fact]
    public void GivenANonPowerOfTwoCell_WhenGenerating_ThenTheDirectTransformGivesAValidMap()
    {
        var map = new GaussianRandomFieldGenerator(48).Generate(new GrfParameters(SpectralDensityFamily.Ring, 6, 1.5, 0.3), 9);
        Assert.Equal(48, map.Size);
        Assert.Equal((int)Math.Round(0.3 * 48 * 48, MidpointRounding.AwayFromZero), (int)Math.Round(map.VolumeFraction * 48 * 48));
    }
}
