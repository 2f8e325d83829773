using System.Numerics;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Tests.Physics.Rcwa;

public sealed class RcwaPhysicsTests
{
    private static Microstructure Uniform(float value) => Microstructure.FromPixels(Enumerable.Repeat(value, 64 * 64).ToArray());

    [Theory]
    [InlineData(400.0)]
    [InlineData(523.7)]
    [InlineData(700.0)]
    public void GivenAnUnpatternedFilm_WhenSimulated_ThenRAndTEqualTheAnalyticThinFilmValues(double wavelengthNm)
    {
        using var solver = new RcwaSolver(RcwaReference.Stack(49, FourierFactorization.Laurent, wavelengthNm));
        var w = solver.SimulateWavelength(Uniform(1f), wavelengthNm);
        var (r, t, absorbed) = ThinFilmMatrix.Solve(1, new[] { (new Complex(12, 0.5), 100.0) }, 2.25, wavelengthNm);
        Assert.Equal(r, w.X.Reflectance, 12);
        Assert.Equal(t, w.X.Transmittance, 12);
        Assert.Equal(r, w.Y.Reflectance, 12);
        Assert.Equal(absorbed[0], w.PatternedLayerAbsorptance, 12);
    }

    [Fact]
    public void GivenTheSharedAnalyticSlabValues_WhenTheUniformCaseIsSimulated_ThenTheyMatchTo1e6()
    {
        // reference.json's analytic_slab is rounded to 6 significant digits.
        var expected = new Dictionary<double, (double R, double T, double A)>
        {
            [400] = (0.41632, 0.442384, 0.141296), [500] = (0.52504, 0.371469, 0.103491),
            [600] = (0.254177, 0.603697, 0.142126), [700] = (0.0648238, 0.788988, 0.146188),
        };
        using var solver = new RcwaSolver(RcwaReference.Stack(25, FourierFactorization.Li));
        var response = solver.Simulate(RcwaReference.Pattern("uniform"));
        foreach (var w in response.Wavelengths)
        {
            var (r, t, a) = expected[w.WavelengthNm];
            Assert.InRange(Math.Abs(w.X.Reflectance - r), 0, 1e-6);
            Assert.InRange(Math.Abs(w.X.Transmittance - t), 0, 1e-6);
            Assert.InRange(Math.Abs(w.AverageAbsorptance - a), 0, 1e-6);
        }
    }

    [Fact]
    public void GivenUniformFilmsAboveAndBelow_WhenSimulated_ThenEachLayersAbsorptionMatchesTheTransferMatrix()
    {
        var lossy = Material.Constant("ito", new Complex(3.6, 0.3));
        var spacer = Material.Constant("sio2", 2.1);
        var stack = RcwaReference.Stack(25, FourierFactorization.Laurent, 550) with
        {
            LayersAbove = new[] { new UniformLayer(lossy, 40), new UniformLayer(spacer, 25) },
            LayersBelow = new[] { new UniformLayer(spacer, 60) },
        };
        using var solver = new RcwaSolver(stack);
        var w = solver.SimulateWavelength(Uniform(1f), 550);
        var (r, t, absorbed) = ThinFilmMatrix.Solve(1,
            new[] { (new Complex(3.6, 0.3), 40.0), (new Complex(2.1, 0), 25.0), (new Complex(12, 0.5), 100.0), (new Complex(2.1, 0), 60.0) }, 2.25, 550);
        Assert.Equal(r, w.X.Reflectance, 10);
        Assert.Equal(t, w.X.Transmittance, 10);
        Assert.Equal(absorbed[2], w.PatternedLayerAbsorptance, 10);
        // The lossy top film takes its share: total absorption exceeds the patterned layer's.
        Assert.True(w.AverageAbsorptance > w.PatternedLayerAbsorptance + 0.01);
    }

    [Fact]
    public void GivenHalfFilledPixels_WhenSimulatedWithLaurentsRule_ThenTheyActLikeTheLinearlyMixedPermittivity()
    {
        using var mixed = new RcwaSolver(RcwaReference.Stack(9, FourierFactorization.Laurent, 600));
        var w = mixed.SimulateWavelength(Uniform(0.5f), 600);
        var (r, t, _) = ThinFilmMatrix.Solve(1, new[] { ((new Complex(12, 0.5) + 1) / 2, 100.0) }, 2.25, 600);
        Assert.Equal(r, w.X.Reflectance, 12);
        Assert.Equal(t, w.Y.Transmittance, 12);
    }

    [Theory]
    [InlineData(FourierFactorization.Laurent)]
    [InlineData(FourierFactorization.Li)]
    public void GivenATransposedPattern_WhenSimulated_ThenXAndYPolarisationsSwap(FourierFactorization factorization)
    {
        var pattern = RcwaReference.Pattern("rand1");
        var pixels = pattern.ToArray();
        var transposed = new float[pixels.Length];
        for (int x = 0; x < 64; x++) for (int y = 0; y < 64; y++) transposed[y * 64 + x] = pixels[x * 64 + y];
        using var solver = new RcwaSolver(RcwaReference.Stack(49, factorization, 500));
        var original = solver.SimulateWavelength(pattern, 500);
        var swapped = solver.SimulateWavelength(Microstructure.FromPixels(transposed), 500);
        Assert.Equal(original.X.Reflectance, swapped.Y.Reflectance, 10);
        Assert.Equal(original.Y.Transmittance, swapped.X.Transmittance, 10);
        Assert.NotEqual(original.X.Reflectance, original.Y.Reflectance, 4);
    }

    [Fact]
    public void GivenLosslessMaterials_WhenAPatternIsSimulated_ThenReflectedAndTransmittedPowerAddToOne()
    {
        var stack = RcwaReference.Stack(81, FourierFactorization.Li, 450) with
        {
            Patterned = new PatternedLayer(Material.Constant("tio2", 6.2), Material.Constant("sio2", 2.1), 150),
        };
        using var solver = new RcwaSolver(stack);
        var w = solver.SimulateWavelength(RcwaReference.Pattern("rand1"), 450);
        Assert.InRange(Math.Abs(w.X.Reflectance + w.X.Transmittance - 1), 0, 1e-10);
        Assert.InRange(Math.Abs(w.Y.Reflectance + w.Y.Transmittance - 1), 0, 1e-10);
        Assert.True(w.X.Transmittance < 0.99, "a patterned high-index film must scatter or reflect something");
    }

    [Theory]
    [InlineData(525.0)]   // order (1,0) grazing in the substrate: 1.5 x 350 nm
    [InlineData(350.0)]   // order (1,0) grazing in air
    public void GivenAWavelengthOnARayleighAnomaly_WhenSimulated_ThenTheResultIsFiniteFlaggedAndContinuous(double anomalyNm)
    {
        using var solver = new RcwaSolver(RcwaReference.Stack(49, FourierFactorization.Laurent, anomalyNm));
        var pattern = RcwaReference.Pattern("rand1");
        var on = solver.SimulateWavelength(pattern, anomalyNm);
        var near = solver.SimulateWavelength(pattern, anomalyNm * (1 + 1e-7));
        Assert.True(on.OnRayleighAnomaly);
        Assert.False(near.OnRayleighAnomaly);
        Assert.True(double.IsFinite(on.X.Reflectance) && double.IsFinite(on.Y.Transmittance));
        Assert.InRange(Math.Abs(on.PatternedLayerAbsorptance - near.PatternedLayerAbsorptance), 0, 1e-3);
    }

    [Fact]
    public void GivenManyPatterns_WhenSimulatedOnTwoThreads_ThenResultsEqualOneByOneSimulation()
    {
        using var solver = new RcwaSolver(RcwaReference.Stack(25, FourierFactorization.Li, 450, 650));
        var patterns = new[] { "rand1", "checker", "lamellar", "uniform" }.Select(RcwaReference.Pattern).ToList();
        var parallel = solver.SimulateMany(patterns, workers: 2);
        // No scope needed here: the solver runs every wavelength at one torch thread whoever calls it.
        for (int i = 0; i < patterns.Count; i++)
            Assert.Equal(solver.Simulate(patterns[i]).Absorption, parallel[i].Absorption);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(100)]
    [InlineData(-9)]
    public void GivenHarmonicsNotAnOddSquare_WhenASolverIsCreated_ThenTheErrorNamesTheRule(int harmonics)
    {
        var error = Assert.Throws<ArgumentException>(() => new RcwaSolver(RcwaReference.Stack(harmonics, FourierFactorization.Laurent)));
        Assert.Contains("(2M+1)^2", error.Message);
    }

    [Fact]
    public void GivenANegativeThickness_WhenASolverIsCreated_ThenTheErrorNamesTheLayer()
    {
        var stack = RcwaReference.Stack(25, FourierFactorization.Laurent) with
        {
            Patterned = new PatternedLayer(Material.Constant("a", 12), Material.Constant("b", 1), -5),
        };
        var error = Assert.Throws<ArgumentException>(() => new RcwaSolver(stack));
        Assert.Contains("patterned layer", error.Message);
    }
}
