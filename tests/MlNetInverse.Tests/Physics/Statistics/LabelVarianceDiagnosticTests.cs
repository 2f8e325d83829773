using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Statistics;

namespace MlNetInverse.Tests.Physics.Statistics;

public sealed class LabelVarianceDiagnosticTests
{
    [Fact]
    public void GivenLabelsSetByVolumeFractionAlone_WhenDiagnosed_ThenVfExplainsEverythingAndBinsAreTight()
    {
        var records = Records(600, (vf, mean, std) => 0.2 + 0.6 * vf * vf);

        var d = LabelVarianceDiagnostic.Of(records);

        Assert.True(d.VolumeFractionShare > 0.9999, $"{d.VolumeFractionShare}");
        Assert.True(d.GrfParametersShare > 0.9999);
        Assert.All(d.Bins, b => Assert.True(b.LabelStd < 0.01, $"bin {b.From}: {b.LabelStd}"));
    }

    [Fact]
    public void GivenLabelsSetByTheRingWavenumberAlone_WhenDiagnosed_ThenVfExplainsAboutNothingButTheGrfParametersDo()
    {
        var records = Records(800, (vf, mean, std) => 0.5 + 0.05 * mean - 0.02 * std * std);

        var d = LabelVarianceDiagnostic.Of(records);

        Assert.InRange(d.VolumeFractionShare, -0.02, 0.02);
        Assert.True(d.GrfParametersShare > 0.9999, $"{d.GrfParametersShare}");
        Assert.All(d.Bins, b => Assert.True(b.LabelStd > 0.01));
    }

    [Fact]
    public void GivenFewerThanTenRows_WhenDiagnosed_ThenTheErrorSaysSo()
    {
        var e = Assert.Throws<ArgumentException>(() => LabelVarianceDiagnostic.Of(Records(9, (vf, m, s) => vf)));
        Assert.Contains("at least 10 rows", e.Message);
    }

    /// <summary>Rows with VF, ring mean and width drawn independently and the label a known function of them.</summary>
    private static MicrostructureRecord[] Records(int count, Func<double, double, double, double> label)
    {
        var random = new Random(11);
        return Enumerable.Range(0, count).Select(i =>
        {
            int on = 400 + random.Next(3000);
            var pixels = new bool[4096];
            for (int p = 0; p < on; p++) pixels[p] = true;
            var map = Microstructure.FromBinary(pixels);
            double mean = 1 + 2 * random.NextDouble(), std = 0.3 + 1.2 * random.NextDouble();
            return new MicrostructureRecord(i, new GrfParameters(SpectralDensityFamily.Ring, mean, std, map.VolumeFraction), i,
                label(map.VolumeFraction, mean, std), map, [label(map.VolumeFraction, mean, std)]);
        }).ToArray();
    }
}
