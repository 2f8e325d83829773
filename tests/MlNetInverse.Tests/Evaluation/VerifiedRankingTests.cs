using MlNetInverse.Cli.Commands;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Workflows.Evaluation;
using MlNetInverse.Workflows.Generation;

namespace MlNetInverse.Tests.Evaluation;

/// <summary>
/// The verify-and-rank loop on hand-made draws: 8 MDN draws of 2x2 maps at target 0.5 (draw 3 repeats draw 1), the
/// surrogate's guesses, and a lookup table standing in for RCWA.
/// </summary>
public sealed class VerifiedRankingTests
{
    private const double Target = 0.5;

    // Surrogate ranking by |guess - 0.5|: draws 4, 1, 6 (tie with 1, later draw), 2, 0, then 5 and 7; draw 3 is a duplicate of 1.
    private static readonly float[] Guesses = [0.60f, 0.51f, 0.45f, 0.51f, 0.50f, 0.70f, 0.49f, 0.30f];

    // The physics: REP 10 %, 0.6 %, 0.2 %, -, 4 %, 0.2 %, 20 %, 40 %.
    private static readonly double[] Truth = [0.55, 0.503, 0.499, 0.503, 0.52, 0.501, 0.40, 0.30];

    private static readonly int[] Patterns = [1, 2, 3, 2, 4, 5, 6, 7];

    private readonly List<int[]> _rounds = [];

    private static GeneratedTarget Draws() => new(Target, true,
        Patterns.Select(p => Enumerable.Range(0, 4).Select(bit => (p >> bit & 1) == 1 ? 1f : 0f).ToArray()).ToArray(), Guesses, 2);

    private static int DrawOf(Microstructure map) => Array.IndexOf(Patterns, (int)Enumerable.Range(0, 4).Sum(bit => map.Pixels[bit] > 0.5f ? 1 << bit : 0));

    private double[] Simulate(IReadOnlyList<Microstructure> maps)
    {
        var draws = maps.Select(DrawOf).ToArray();
        _rounds.Add(draws);
        return draws.Select(d => Truth[d]).ToArray();
    }

    private RankedDesigns Select(double tolerance, int roundMinimum = 1, int maxSimulations = 0) => VerifiedRanking.Select(Draws(), 2,
        new VerifiedRankingOptions { TolerancePercent = tolerance, MaxSimulations = maxSimulations, CalibrationSimulations = 0 }, roundMinimum, Simulate, null, CancellationToken.None);

    [Fact]
    public void GivenDraws_WhenRanked_ThenTheyAreSimulatedInSurrogateOrderOnlyUntilEnoughAreConfirmed()
    {
        var result = Select(tolerance: 1);

        Assert.Equal([[4, 1], [6], [2]], _rounds);
        Assert.Equal(4, result.Simulations);
        // Returned best first by RCWA REP: draw 2 (0.2 %) before draw 1 (0.6 %).
        Assert.Equal([0.499, 0.503], result.RcwaAbsorption);
        Assert.Equal([true, true], result.WithinTolerance);
        Assert.Equal([0.45f, 0.51f], result.PredictedAbsorption);
        Assert.Equal(2, result.Confirmed);
    }

    [Fact]
    public void GivenARepeatedMap_WhenRanked_ThenItIsSimulatedOnceAndCountedOnce()
    {
        var result = Select(tolerance: 1e-6, maxSimulations: 100);

        Assert.Equal(7, result.Distinct);
        Assert.Equal(8, result.Drawn);
        Assert.Equal(7, result.Simulations);
        Assert.Equal(7, _rounds.SelectMany(r => r).Distinct().Count());
    }

    [Fact]
    public void GivenAToleranceNoDesignMeets_WhenRanked_ThenTheBudgetIsSpentAndTheBestByRcwaAreReturned()
    {
        var result = Select(tolerance: 0.1);

        Assert.Equal(4, result.Simulations);
        Assert.Equal(0, result.Confirmed);
        Assert.Equal([0.499, 0.503], result.RcwaAbsorption);
    }

    [Fact]
    public void GivenMoreWorkersThanMissingDesigns_WhenRanked_ThenEachRoundKeepsEveryWorkerBusy()
    {
        var result = Select(tolerance: 1, roundMinimum: 2);

        Assert.Equal([[4, 1], [6, 2]], _rounds);
        Assert.Equal([0.499, 0.503], result.RcwaAbsorption);
    }

    [Fact]
    public void GivenOneConfirmedDesign_WhenTheBudgetRunsOut_ThenItComesFirstAndTheBestOfTheRestByRcwaTopsItUp()
    {
        // Tolerance 0.7 %: only draw 1 (0.6 %) passes among the three simulated; draw 4 (4 %) beats draw 6 (20 %).
        var result = Select(tolerance: 0.7, maxSimulations: 3);

        Assert.Equal([[4, 1], [6]], _rounds);
        Assert.Equal([0.503, 0.52], result.RcwaAbsorption);
        Assert.Equal([true, false], result.WithinTolerance);
    }

    // A surrogate that reads every design 0.02 low near the target (the physics is the guess + 0.02).
    private static readonly float[] BiasedGuesses = [0.500f, 0.502f, 0.497f, 0.480f, 0.482f, 0.477f, 0.530f, 0.460f, 0.440f, 0.400f];

    private static RankedDesigns SelectWithBiasedSurrogate(int calibration, List<int[]> rounds)
    {
        var drawn = new GeneratedTarget(Target, true,
            Enumerable.Range(1, BiasedGuesses.Length).Select(p => Enumerable.Range(0, 4).Select(bit => (p >> bit & 1) == 1 ? 1f : 0f).ToArray()).ToArray(), BiasedGuesses, 2);
        return VerifiedRanking.Select(drawn, 2, new VerifiedRankingOptions { TolerancePercent = 1, MaxSimulations = 4, CalibrationSimulations = calibration }, 1, maps =>
        {
            var draws = maps.Select(m => (int)Enumerable.Range(0, 4).Sum(bit => m.Pixels[bit] > 0.5f ? 1 << bit : 0) - 1).ToArray();
            rounds.Add(draws);
            return draws.Select(d => Math.Round(BiasedGuesses[d] + 0.02, 6)).ToArray();
        }, null, CancellationToken.None);
    }

    [Fact]
    public void GivenABiasedSurrogate_WhenTheFirstRoundCalibratesIt_ThenTheRestAreRankedByTheCorrectedGuessAndHitTheTargetWithFewerSimulations()
    {
        var rounds = new List<int[]>();

        var result = SelectWithBiasedSurrogate(calibration: 1, rounds);

        // Round 1: the surrogate's favourite (draw 0, guess 0.500) is 0.520 under RCWA: offset +0.02. The corrected ranking
        // then picks the draws guessed 0.480 and 0.482, which RCWA puts at 0.500 and 0.502: both within 1 %.
        Assert.Equal([[0], [3, 4]], rounds);
        Assert.Equal(3, result.Simulations);
        Assert.Equal([0.5, 0.502], result.RcwaAbsorption);
        Assert.Equal(2, result.Confirmed);
        Assert.Equal(0.02, result.SurrogateOffset, 6);
    }

    [Fact]
    public void GivenABiasedSurrogate_WhenNotCalibrated_ThenTheBudgetGoesOnTheSurrogatesFavouritesAndOnlyOneIsConfirmed()
    {
        var rounds = new List<int[]>();

        var result = SelectWithBiasedSurrogate(calibration: 0, rounds);

        Assert.Equal([[0, 1], [2, 4]], rounds);
        Assert.Equal(4, result.Simulations);
        Assert.Equal([0.502, 0.517], result.RcwaAbsorption);
        Assert.Equal(1, result.Confirmed);
        Assert.Equal(0, result.SurrogateOffset);
    }
}
