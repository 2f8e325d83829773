using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Tests.Physics.Rcwa;

/// <summary>The solver settings next to a judge's: the next two square harmonic sets and the other factorisation.</summary>
public sealed class TruncationBandTests
{
    [Fact]
    public void GivenLiAt121Harmonics_WhenItsNeighboursAreListed_ThenTheyAreLi169AndLi225AndLaurent121()
    {
        var neighbours = TruncationBand.Neighbours(new RcwaOptions { Harmonics = 121, Factorization = FourierFactorization.Li });

        Assert.Equal(
        [
            new RcwaOptions { Harmonics = 169, Factorization = FourierFactorization.Li },
            new RcwaOptions { Harmonics = 225, Factorization = FourierFactorization.Li },
            new RcwaOptions { Harmonics = 121, Factorization = FourierFactorization.Laurent },
        ], neighbours);
        Assert.Equal(["Li, nG 169", "Li, nG 225", "Laurent, nG 121"], neighbours.Select(TruncationBand.Describe));
    }

    [Fact]
    public void GivenLaurentAt9Harmonics_WhenItsNeighboursAreListed_ThenTheyAre25And49AndLi()
    {
        var neighbours = TruncationBand.Neighbours(new RcwaOptions { Harmonics = 9 });

        Assert.Equal([25, 49, 9], neighbours.Select(n => n.Harmonics));
        Assert.Equal([FourierFactorization.Laurent, FourierFactorization.Laurent, FourierFactorization.Li], neighbours.Select(n => n.Factorization));
    }
}
