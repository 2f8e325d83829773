using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Tests.Physics.Rcwa;

public sealed class LaurentReferenceVectorTests
{
    public static TheoryData<int> Harmonics => new(RcwaReference.All.Where(r => r.Solver == "laurent-exact").Select(r => r.Harmonics).Distinct());

    [Theory]
    [MemberData(nameof(Harmonics))]
    public void GivenThePublishedLaurentVectors_WhenSimulatedWithExactPixelCoefficients_ThenEveryValueMatchesTo1e8(int harmonics)
    {
        double worst = RcwaReference.WorstDeviation("laurent-exact", FourierFactorization.Laurent, harmonics);
        Assert.True(worst < 1e-8, $"nG={harmonics}: worst |deviation| {worst:E3}");
    }
}
