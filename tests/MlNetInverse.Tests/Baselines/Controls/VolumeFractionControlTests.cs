using MlNetInverse.Baselines.Controls;
using MlNetInverse.Baselines.Shared;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Tests.Baselines.Controls;

/// <summary>
/// The volume-fraction control on synthetic training rows whose label is an exact function of VF, so the VF it must
/// choose for a target is known: maps at that VF, ring parameters from the dataset's ranges, deterministic per seed.
/// </summary>
public sealed class VolumeFractionControlTests
{
    private const int Pixels = 64 * 64;

    private static readonly GrfParameterRanges Ranges = new() { MeanWavenumber = new(2, 3), StdWavenumber = new(0.5, 0.8), VolumeFraction = new(0.2, 0.8) };

    // 240 training rows, VF evenly over [0.2, 0.8], label 0.2 + 0.6 VF^2 (increasing there, 0.224 to 0.584).
    private static readonly double[] Fractions = Enumerable.Range(0, 240).Select(i => 0.2 + 0.6 * i / 239).ToArray();

    private static double Label(double vf) => 0.2 + 0.6 * vf * vf;

    private static VolumeFractionControl Fit() =>
        VolumeFractionControl.Fit(Fractions, Fractions.Select(Label).ToArray(), new VolumeFractionControlOptions { Ranges = Ranges });

    [Fact]
    public void GivenLabelsThatAreAFunctionOfVf_WhenTheControlIsFitted_ThenVfExplainsThemAndTheChosenVfIsTheClosestRealisableOne()
    {
        var control = Fit();

        Assert.True(control.CrossValidatedR2 > 0.999, $"CV R^2 {control.CrossValidatedR2}");
        Assert.Equal(new ParameterRange(0.2, 0.8), control.TrainingVolumeFraction);
        Assert.Equal(240, control.TrainingRows);
        // Label 0.5 at VF sqrt(0.5) = 0.70711: the closest fraction k / 4096 is 2896 / 4096.
        Assert.Equal(2896.0 / Pixels, control.VolumeFractionFor(0.5));
        Assert.Equal(2048.0 / Pixels, control.VolumeFractionFor(Label(0.5)));
    }

    [Fact]
    public void GivenATargetBeyondTheTrainingLabels_WhenTheVfIsChosen_ThenItIsTheNearestEndOfTheTrainingVfRange()
    {
        var control = Fit();

        Assert.Equal(Math.Ceiling(0.2 * Pixels) / Pixels, control.VolumeFractionFor(0.05));
        Assert.Equal(Math.Floor(0.8 * Pixels) / Pixels, control.VolumeFractionFor(0.95));
    }

    [Fact]
    public void GivenATarget_WhenDesignsAreGenerated_ThenEveryMapHasTheChosenVfAndRingParametersFromTheDatasetsRanges()
    {
        var control = Fit();

        var maps = control.Generate(0.5, 6, seed: 3);

        Assert.All(maps, m => Assert.True(m.IsBinary));
        Assert.All(maps, m => Assert.Equal(2896.0 / Pixels, m.VolumeFraction));
        var designs = Enumerable.Range(0, 6).Select(n => control.Design(0.5, n, 3)).ToArray();
        Assert.All(designs, d => Assert.Equal(SpectralDensityFamily.Ring, d.Parameters.Family));
        Assert.All(designs, d => Assert.InRange(d.Parameters.MeanWavenumber, 2, 3));
        Assert.All(designs, d => Assert.InRange(d.Parameters.StdWavenumber, 0.5, 0.8));
        Assert.Equal(6, designs.Select(d => d.Seed).Distinct().Count());
        // Design n is the GRF of its parameters and seed.
        var generator = new GaussianRandomFieldGenerator();
        Assert.Equal(generator.Generate(designs[4].Parameters, designs[4].Seed).ToPackedBits(), maps[4].ToPackedBits());
    }

    [Fact]
    public void GivenASeed_WhenDesignsAreGeneratedAgain_ThenTheyAreTheSame_MoreOnlyAppends_AndAnotherSeedOrTargetGivesOthers()
    {
        var control = Fit();

        var first = Packed(control.Generate(0.5, 4, seed: 9));

        Assert.Equal(first, Packed(Fit().Generate(0.5, 4, seed: 9)));
        Assert.Equal(first, Packed(control.Generate(0.5, 6, seed: 9)).Take(4));
        Assert.Empty(first.Intersect(Packed(control.Generate(0.5, 4, seed: 10))));
        Assert.Empty(first.Intersect(Packed(control.Generate(0.50001, 4, seed: 9))));
    }

    [Fact]
    public void GivenASurrogateScreen_WhenDesignsAreGenerated_ThenTheCountOfCountTimesOversamplingDrawsClosestToTheTargetAreKept()
    {
        var control = Fit();
        // A stand-in surrogate that differs between maps of one VF: the share of material A in the first row.
        var surrogate = new FunctionAbsorption(m => Enumerable.Range(0, 64).Average(y => m[0, y]), "first row");
        var screened = new ScreenedVolumeFractionControl(control, surrogate, oversampling: 4);

        var (maps, predicted) = screened.Generate(0.5, 3, seed: 5);

        var drawn = control.Generate(0.5, 12, seed: 5);
        var scores = surrogate.Evaluate(drawn);
        var closest = Enumerable.Range(0, 12).OrderBy(i => Math.Abs((float)scores[i] - 0.5f)).ThenBy(i => i).Take(3).ToArray();
        Assert.Equal(closest.Select(i => drawn[i].ToPackedBits()), maps.Select(m => m.ToPackedBits()));
        Assert.Equal(closest.Select(i => scores[i]), predicted);
        Assert.True(predicted.Zip(predicted.Skip(1), (a, b) => Math.Abs(a - 0.5) <= Math.Abs(b - 0.5)).All(ok => ok), "closest first");
        Assert.True(closest.Max() >= 3, "the screen chose beyond the first 3 draws");
    }

    [Fact]
    public void GivenBadTrainingRows_WhenFitted_ThenTheErrorNamesTheProblem()
    {
        Assert.Contains("3 volume fractions but 2 labels", Assert.Throws<ArgumentException>(() => VolumeFractionControl.Fit([0.1, 0.2, 0.3], [0.1, 0.2])).Message);
        Assert.Contains("at least 5 training rows", Assert.Throws<ArgumentException>(() => VolumeFractionControl.Fit([0.1, 0.2], [0.1, 0.2])).Message);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => VolumeFractionControl.Fit([0.1, 0.2, 0.3, 0.4, double.NaN], [0.1, 0.2, 0.3, 0.4, 0.5])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScreenedVolumeFractionControl(Fit(), new FunctionAbsorption(_ => 0.5), 0));
    }

    private static string[] Packed(IEnumerable<Microstructure> maps) => maps.Select(m => Convert.ToBase64String(m.ToPackedBits())).ToArray();
}
