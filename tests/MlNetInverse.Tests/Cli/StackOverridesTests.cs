using System.Numerics;
using MlNetInverse.Cli.Commands;
using MlNetInverse.Cli.Simulation;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Tests.Cli;

public sealed class StackOverridesTests
{
    private const string StackJson = """
        {
          "name": "two-film",
          "period_nm": 420,
          "materials": {
            "air": {"eps": "1"},
            "si": {"nk_table": [[300, 4.0, 0.2], [900, 3.6, 0.01]]},
            "oxide": {"eps": "2.1"},
            "glass": {"eps": "2.25"}
          },
          "superstrate": "air",
          "above": [{"material": "oxide", "thickness_nm": 20}],
          "patterned_layer": {"material_a": "si", "material_b": "air", "thickness_nm": 80},
          "substrate": "glass",
          "wavelengths_nm": [450, 550],
          "solver": {"harmonics": 81, "factorization": "li"}
        }
        """;

    [Fact]
    public void GivenNoStackFile_WhenTheReferenceIsBuilt_ThenItHasTheDocumentedDefaults()
    {
        var stack = new StackOverrides().ApplyTo(ReferenceStructure.Create());

        Assert.Equal(350, stack.PeriodNm);
        Assert.Equal(100, stack.Patterned.ThicknessNm);
        Assert.Equal(new Complex(12, 0.5), stack.Patterned.MaterialA.Permittivity(500));
        Assert.Equal(Complex.One, stack.Patterned.MaterialB.Permittivity(500));
        Assert.Equal(Complex.One, stack.Superstrate.Permittivity(500));
        Assert.Equal(new Complex(2.25, 0), stack.Substrate.Permittivity(500));
        Assert.Equal(new double[] { 400, 500, 600, 700 }, stack.WavelengthsNm);
        Assert.Equal(121, stack.Solver.Harmonics);
        Assert.Equal(FourierFactorization.Laurent, stack.Solver.Factorization);
        stack.Validate();
    }

    [Fact]
    public void GivenAStackFileAndSomeFlags_WhenApplied_ThenOnlyTheGivenValuesChange()
    {
        var file = OpticalStackFile.Parse(StackJson);
        var overrides = new StackOverrides { ThicknessNm = 60, EpsB = new Complex(1.44, 0), Harmonics = 169 };

        var stack = overrides.ApplyTo(file);

        Assert.Equal(60, stack.Patterned.ThicknessNm);
        Assert.Equal(new Complex(1.44, 0), stack.Patterned.MaterialB.Permittivity(500));
        Assert.Equal(169, stack.Solver.Harmonics);
        Assert.Equal(420, stack.PeriodNm);
        Assert.Same(file.Patterned.MaterialA, stack.Patterned.MaterialA);
        Assert.Same(file.Superstrate, stack.Superstrate);
        Assert.Same(file.Substrate, stack.Substrate);
        Assert.Same(file.LayersAbove, stack.LayersAbove);
        Assert.Equal(new double[] { 450, 550 }, stack.WavelengthsNm);
        Assert.Equal(FourierFactorization.Li, stack.Solver.Factorization);
        Assert.Equal("two-film", stack.Name);
    }

    [Fact]
    public void GivenEveryFlag_WhenAppliedToAStackFile_ThenEveryOverridableValueIsReplaced()
    {
        var overrides = new StackOverrides
        {
            PeriodNm = 300, ThicknessNm = 50, EpsA = new Complex(9, 1), EpsB = 2, EpsSuperstrate = 1.1, EpsSubstrate = 3,
            WavelengthsNm = [610], Harmonics = 49, Factorization = FourierFactorization.Laurent,
        };

        var stack = overrides.ApplyTo(OpticalStackFile.Parse(StackJson));

        Assert.Equal(300, stack.PeriodNm);
        Assert.Equal(50, stack.Patterned.ThicknessNm);
        Assert.Equal(new Complex(9, 1), stack.Patterned.MaterialA.Permittivity(610));
        Assert.Equal(new Complex(2, 0), stack.Patterned.MaterialB.Permittivity(610));
        Assert.Equal(new Complex(1.1, 0), stack.Superstrate.Permittivity(610));
        Assert.Equal(new Complex(3, 0), stack.Substrate.Permittivity(610));
        Assert.Equal(new double[] { 610 }, stack.WavelengthsNm);
        Assert.Equal(49, stack.Solver.Harmonics);
        Assert.Equal(FourierFactorization.Laurent, stack.Solver.Factorization);
        Assert.Single(stack.LayersAbove);
    }

    [Fact]
    public void GivenOverriddenMaterials_WhenTheStackIsWrittenToJsonAndRead_ThenTheValuesSurvive()
    {
        var stack = new StackOverrides { EpsA = new Complex(5, 0.25), EpsB = 1.5 }.ApplyTo(OpticalStackFile.Parse(StackJson));

        var reread = OpticalStackFile.Parse(OpticalStackFile.ToJson(stack));

        Assert.Equal(new Complex(5, 0.25), reread.Patterned.MaterialA.Permittivity(500));
        Assert.Equal(new Complex(1.5, 0), reread.Patterned.MaterialB.Permittivity(500));
        Assert.Equal(Complex.One, reread.Superstrate.Permittivity(500));
    }

    [Fact]
    public void GivenOnlyPeriodOnTheCommandLine_WhenSettingsBecomeOverrides_ThenNothingElseIsOverridden()
    {
        var settings = new SimulateCommand.Settings { Pattern = "p.txt", PeriodNm = 400 };

        var overrides = settings.ToOverrides();

        Assert.Equal(new StackOverrides { PeriodNm = 400 }, overrides);
    }
}
