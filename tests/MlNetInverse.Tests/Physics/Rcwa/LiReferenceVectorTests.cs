using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Tests.Physics.Rcwa;

public sealed class LiReferenceVectorTests
{
    public static TheoryData<int> Harmonics => new(RcwaReference.All.Where(r => r.Solver == "li").Select(r => r.Harmonics).Distinct());

    [Theory]
    [MemberData(nameof(Harmonics))]
    public void GivenThePublishedLiVectors_WhenSimulatedWithTheInverseRule_ThenEveryValueMatchesTo1e8(int harmonics)
    {
        double worst = RcwaReference.WorstDeviation("li", FourierFactorization.Li, harmonics);
        Assert.True(worst < 1e-8, $"nG={harmonics}: worst |deviation| {worst:E3}");
    }
}
