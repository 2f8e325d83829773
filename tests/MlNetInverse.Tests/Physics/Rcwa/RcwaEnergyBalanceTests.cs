using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Tests.Physics.Rcwa;

/// <summary>
/// The solver itself refuses answers that energy conservation forbids, so every judge built on it (dataset labels,
/// generate --verify, evaluate, the baselines, simulate) fails with one line instead of using them.
/// </summary>
public sealed class RcwaEnergyBalanceTests
{
    private static Microstructure Pattern()
    {
        var pixels = new float[64 * 64];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (i / 64 + i % 64) % 7 < 3 ? 1f : 0f;
        return Microstructure.FromPixels(pixels);
    }

    [Fact]
    public void GivenAWavelengthFarBeyondWhatTheHarmonicsResolve_WhenManyPatternsAreJudged_ThenTheSolverRefusesWithTheProblemAndPattern()
    {
        using var solver = new RcwaSolver(RcwaReference.Stack(9, FourierFactorization.Laurent, 500, 1e12));

        var refused = Assert.Throws<NonPhysicalResultException>(() => solver.SimulateMany([Pattern(), Pattern()], workers: 2));

        Assert.Matches(@"^non-physical result: [RTA] = .* at 1000000000000 nm \([xy] polarisation\) \(pattern 1 of 2\); the period \(350 nm\)", refused.Message);
    }

    [Fact]
    public void GivenAPhysicalStack_WhenJudged_ThenEveryResponseConservesEnergyAndIsReturned()
    {
        using var solver = new RcwaSolver(RcwaReference.Stack(9, FourierFactorization.Li));

        var response = solver.Simulate(Pattern());

        Assert.Null(response.EnergyBalanceProblem(gainMedium: false));
        Assert.Equal(4, response.Wavelengths.Count);
    }
}
