using MlNetInverse.Models.CodePrior;
using TorchSharp;
using static MlNetInverse.Tests.Models.TrainingTestData;
using static TorchSharp.torch;

namespace MlNetInverse.Tests.Models.CodePrior;

[Collection(TorchDeterminismCollection.Name)]
public sealed class CodePriorTrainerTests
{
    private const int Grid = 4;
    private static readonly CodePriorOptions Small = new() { CodebookSize = 4, GridSize = Grid, Width = 32, Layers = 2, Heads = 4 };

    /// <summary>
    /// Toy codes whose structure the label decides: at 0.3 a checkerboard of codes 0 and 1, at 0.7 vertical stripes of
    /// codes 2 and 3, each in either of its two phases (so position alone cannot tell a cell's code).
    /// </summary>
    private static (int[] Codes, float[] Labels) Toy(int grids, int seed)
    {
        var random = new Random(seed);
        var codes = new int[grids * Grid * Grid];
        var labels = new float[grids];
        for (int n = 0; n < grids; n++)
        {
            bool checker = n % 2 == 0;
            int phase = random.Next(2);
            labels[n] = checker ? 0.3f : 0.7f;
            for (int y = 0; y < Grid; y++)
                for (int x = 0; x < Grid; x++)
                    codes[n * Grid * Grid + y * Grid + x] = checker ? (x + y + phase) % 2 : 2 + (x + phase) % 2;
        }
        return (codes, labels);
    }

    private static bool IsChecker(long[] g) =>
        Enumerable.Range(0, Grid * Grid).All(c => g[c] is 0 or 1 && g[c] != g[(c / Grid) * Grid + (c % Grid + 1) % Grid] && g[c] != g[((c / Grid + 1) % Grid) * Grid + c % Grid]);

    private static bool IsStripes(long[] g) =>
        Enumerable.Range(0, Grid * Grid).All(c => g[c] is 2 or 3 && g[c] != g[(c / Grid) * Grid + (c % Grid + 1) % Grid] && g[c] == g[((c / Grid + 1) % Grid) * Grid + c % Grid]);

    [Fact]
    public void GivenCodesWhoseStructureTheLabelDecides_WhenTrained_ThenHeldOutLossUsesTheLabel_AndSamplesHaveTheLabelsStructure()
    {
        var (codes, labels) = Toy(400, seed: 1);
        var trainer = new CodePriorTrainer(Small, new CodePriorTrainingOptions { Steps = 600, BatchSize = 32, LearningRate = 3e-3, WarmupSteps = 20, Seed = 2 });
        var reports = new List<CodePriorProgress>();

        var result = trainer.Train(codes, labels, new SynchronousProgress<CodePriorProgress>(reports.Add));
        using var prior = result.Prior;

        Assert.Equal(40, result.HeldOutGrids);
        Assert.Equal(Math.Log(4), result.UniformLoss, 6);
        // Once one cell is known the rest follow; only a grid with every cell masked (about a fifth of the masks) keeps
        // ln 2 per cell for the phase, a floor near 0.24 nats. Uniform guessing costs ln 4 = 1.39.
        Assert.True(result.HeldOutLoss < 0.4, $"held-out loss {result.HeldOutLoss:F3} nats against a floor near 0.24");
        Assert.True(result.UnlabelledHeldOutLoss > result.HeldOutLoss + 0.05, $"without the label {result.UnlabelledHeldOutLoss:F3} vs {result.HeldOutLoss:F3}: the label must carry information");
        Assert.Equal(0.3, prior.TrainingAbsorptionMin, 6);
        Assert.Equal(0.7, prior.TrainingAbsorptionMax, 6);
        Assert.Equal(600, reports[^1].Step);
        Assert.False(double.IsNaN(reports[^1].HeldOutLoss));

        var checkers = Grids(prior.Sample(Enumerable.Repeat(0.3f, 20).ToArray(), Enumerable.Range(0, 20).Select(i => 300L + i).ToArray(), 8));
        var stripes = Grids(prior.Sample(Enumerable.Repeat(0.7f, 20).ToArray(), Enumerable.Range(0, 20).Select(i => 700L + i).ToArray(), 8));
        Assert.True(checkers.Count(IsChecker) >= 17, $"{checkers.Count(IsChecker)} (stripes {stripes.Count(IsStripes)}) of 20 grids drawn at 0.3 are checkerboards");
        Assert.True(stripes.Count(IsStripes) >= 17, $"{stripes.Count(IsStripes)} of 20 grids drawn at 0.7 are stripes");
        // Both phases of each pattern come out: the prior samples, it does not memorise one grid.
        Assert.Equal(2, checkers.Where(IsChecker).Select(g => g[0]).Distinct().Count());
    }

    private static long[][] Grids(Tensor codes)
    {
        using (codes)
        {
            var values = codes.data<long>().ToArray();
            return values.Chunk(Grid * Grid).ToArray();
        }
    }

    [Fact]
    public void GivenTheSameSeed_WhenTrainedTwice_ThenThePriorsAreEqual()
    {
        var (codes, labels) = Toy(60, seed: 4);
        var options = new CodePriorTrainingOptions { Steps = 12, BatchSize = 8, Seed = 5, ReportEvery = 4 };
        var a = new CodePriorTrainer(Small, options).Train(codes, labels);
        var b = new CodePriorTrainer(Small, options).Train(codes, labels);
        using var first = a.Prior;
        using var second = b.Prior;

        Assert.Equal(a.HeldOutLoss, b.HeldOutLoss);
        var secondParameters = second.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.All(first.named_parameters(), p => Assert.True(p.parameter.allclose(secondParameters[p.name], 0, 0), p.name));
    }

    [Fact]
    public void GivenACodeOutsideTheCodebook_WhenTrained_ThenTheErrorNamesTheGridAndCell()
    {
        var (codes, labels) = Toy(20, seed: 6);
        codes[2 * 16 + 5] = 4;
        var error = Assert.Throws<ArgumentException>(() => new CodePriorTrainer(Small, new CodePriorTrainingOptions { Steps = 1 }).Train(codes, labels));
        Assert.Contains("Code index 4 (grid 2, cell 5) lies outside [0, 4)", error.Message);
    }

    [Fact]
    public void GivenCodesThatAreNotWholeGrids_WhenTrained_ThenTheErrorSaysSo()
    {
        var (codes, labels) = Toy(20, seed: 6);
        var error = Assert.Throws<ArgumentException>(() => new CodePriorTrainer(Small, new CodePriorTrainingOptions { Steps = 1 }).Train(codes[..^3], labels));
        Assert.Contains("are not 20 grids of 4 x 4", error.Message);
    }

    [Fact]
    public void GivenANonFiniteLabel_WhenTrained_ThenTheErrorNamesIt()
    {
        var (codes, labels) = Toy(20, seed: 6);
        labels[7] = float.NaN;
        var error = Assert.Throws<ArgumentException>(() => new CodePriorTrainer(Small, new CodePriorTrainingOptions { Steps = 1 }).Train(codes, labels));
        Assert.Contains("Absorption label 7 is NaN", error.Message);
    }

    [Fact]
    public void GivenWarmUpAndCosine_WhenTheLearningRateIsRead_ThenItRisesToThePeakAndFallsToZero()
    {
        var trainer = new CodePriorTrainer(Small, new CodePriorTrainingOptions { Steps = 100, WarmupSteps = 10, LearningRate = 0.01 });

        Assert.Equal(0.001, trainer.LearningRateAt(1), 12);
        Assert.Equal(0.01, trainer.LearningRateAt(10), 12);
        Assert.Equal(0.005, trainer.LearningRateAt(55), 12);
        Assert.Equal(0, trainer.LearningRateAt(100), 12);
    }

    [Fact]
    public void GivenManyGrids_WhenMasked_ThenEveryGridHasAtLeastOneMaskedCell_AndTheSharesSpreadFromFewToAll()
    {
        using var generator = new Generator(0);
        generator.manual_seed(1);
        using var masks = CodePriorTrainer.Mask(2000, 64, generator);
        using var counts = masks.sum(1);
        var perGrid = counts.data<long>().ToArray();

        Assert.All(perGrid, c => Assert.InRange(c, 1, 64));
        // cos(pi/2 u) for uniform u: mean share 2/pi, so about 41 of 64 cells.
        Assert.InRange(perGrid.Average(), 39.5, 42.5);
        Assert.Contains(64L, perGrid);
        Assert.Contains(perGrid, c => c <= 4);
    }
}
