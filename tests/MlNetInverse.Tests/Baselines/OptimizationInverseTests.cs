using MlNetInverse.Baselines;
using MlNetInverse.Baselines.Optimization;
using MlNetInverse.Baselines.Shared;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Rcwa;
using MlNetInverse.Tests.Cli;
using MlNetInverse.Tests.Models;
using static MlNetInverse.Tests.Baselines.BaselineTestData;
using DatasetFakes = MlNetInverse.Tests.Physics.Datasets.DatasetFakes;

namespace MlNetInverse.Tests.Baselines;

[Collection(TorchDeterminismCollection.Name)]
public sealed class OptimizationInverseTests
{
    private const int Size = 16;

    private static OptimizationInverseOptions Options(int budget) => new()
    {
        ImageSize = Size,
        Optimizer = new BayesianOptimizationOptions { Budget = budget, InitialPoints = 5, HyperparameterSteps = 15, RandomCandidates = 300, LocalCandidates = 30 },
    };

    [Fact]
    public void GivenAToyAbsorption_WhenOptimising_ThenTheBudgetIsSpent_AndTheBestDesignHitsTheTarget()
    {
        using var method = new OptimizationInverseMethod(Options(budget: 20), ToyEvaluator);
        var progress = new TrainingTestData.SynchronousProgress<OptimizationDesign>();
        var result = method.Optimize(0.6, seed: 1, progress);

        Assert.Equal(BaselineNames.Optimization, method.Name);
        Assert.Equal(20, result.SimulationsSpent);
        Assert.Equal(20, progress.Reports.Count);
        Assert.Equal(Enumerable.Range(0, 20), result.History.Select(d => d.Index));
        var ranges = new GrfParameterRanges();
        foreach (var design in result.History)
        {
            Assert.True(ranges.MeanWavenumber.Contains(design.Parameters.MeanWavenumber));
            Assert.True(ranges.StdWavenumber.Contains(design.Parameters.StdWavenumber));
            Assert.True(ranges.VolumeFraction.Contains(design.Parameters.VolumeFraction));
            Assert.Equal(ToyAbsorption(design.Map), design.Absorption, 12);
            Assert.Equal(Math.Abs(design.Absorption - 0.6) / 0.6, design.Rep, 12);
            Assert.Equal(result.History[0].RealizationSeed, design.RealizationSeed); // one shared realisation by default
        }
        // 1/256 of volume fraction moves the toy label by 0.002 (0.33 % of 0.6): the best map is at most a pixel or two off.
        Assert.True(result.MinRepPercent < 0.7, $"min REP {result.MinRepPercent} %");
        Assert.Equal(100 * result.History.Min(d => d.Rep), result.MinRepPercent, 12);
        Assert.Equal(result.Optimization.History.Select(s => s.Value), result.History.Select(d => d.Rep));
        Assert.Equal(Size * Size * 0.6, result.RankedDistinct()[0].Map.VolumeFraction * Size * Size, 0);
    }

    [Fact]
    public void GivenAnOptimisationRun_WhenGenerating_ThenTheBestDistinctMapsComeBackInOrder_AndARoundTripRepeatsThem()
    {
        using var method = new OptimizationInverseMethod(Options(budget: 12) with { SameRealizationForAllCandidates = false }, ToyEvaluator);
        var maps = method.Generate(0.5, 4, seed: 3);
        Assert.Equal(4, maps.Count);
        Assert.All(maps, m => { Assert.Equal(Size, m.Size); Assert.True(m.IsBinary); });
        Assert.Equal(4, maps.Select(m => Convert.ToBase64String(m.ToPackedBits())).Distinct().Count());
        var reps = maps.Select(m => Math.Abs(ToyAbsorption(m) - 0.5)).ToArray();
        Assert.Equal(reps.Order(), reps);

        using var folder = new TempFolder();
        var path = folder.File("optimization.bin");
        method.Save(path);
        using var loaded = OptimizationInverseMethod.Load(path, ToyEvaluator);
        using var generic = InverseDesignMethodFile.Load(path, absorption: ToyEvaluator);
        Assert.Equal(method.Options.Optimizer, loaded.Options.Optimizer);
        Assert.Equal(method.Options.Ranges, loaded.Options.Ranges);
        Assert.Equal(Pixels(maps), Pixels(loaded.Generate(0.5, 4, seed: 3)));
        Assert.Equal(Pixels(maps), Pixels(generic.Generate(0.5, 4, seed: 3)));
        Assert.Contains("pass an evaluator", Assert.Throws<InvalidDataException>(() => { using var _ = OptimizationInverseMethod.Load(path); }).Message);
    }

    [Fact]
    public void GivenAnRcwaJudgedMethod_WhenSavedAndLoadedWithoutAnEvaluator_ThenTheStackComesBackAndRcwaJudgesTheCandidates()
    {
        var stack = DatasetFakes.Stack;
        using var method = new OptimizationInverseMethod(Options(budget: 7), stack);
        var result = method.Optimize(0.3, seed: 2);
        using var solver = new RcwaSolver(stack);
        var best = result.RankedDistinct()[0];
        Assert.Equal(solver.Simulate(best.Map).Absorption, best.Absorption, 12);

        using var folder = new TempFolder();
        var path = folder.File("optimization-rcwa.bin");
        method.Save(path);
        using var loaded = (OptimizationInverseMethod)InverseDesignMethodFile.Load(path);
        Assert.Equal("rcwa", loaded.Evaluator);
        Assert.Equal(Pixels(method.Generate(0.3, 2, seed: 2)), Pixels(loaded.Generate(0.3, 2, seed: 2)));
    }

    [Fact]
    public void GivenBadRequests_WhenGenerating_ThenErrorsNameTheProblem()
    {
        using var method = new OptimizationInverseMethod(Options(budget: 6), ToyEvaluator);
        Assert.Contains("simulation budget (6)", Assert.Throws<ArgumentOutOfRangeException>(() => method.Generate(0.5, 7, 1)).Message);
        Assert.Contains("target absorption", Assert.Throws<ArgumentOutOfRangeException>(() => method.Generate(-0.5, 1, 1)).Message);
        Assert.Contains("Budget", Assert.ThrowsAny<ArgumentException>(() =>
            new OptimizationInverseMethod(Options(6) with { Optimizer = new() { Budget = 2, InitialPoints = 5 } }, ToyEvaluator)).Message);
        Assert.Contains("Volume fraction", Assert.ThrowsAny<ArgumentException>(() =>
            new OptimizationInverseMethod(Options(6) with { Ranges = new() { VolumeFraction = new(0.2, 1.0) } }, ToyEvaluator)).Message);
        var space = new GrfDesignSpace(new GrfParameterRanges());
        Assert.Contains("3 finite coordinates", Assert.Throws<ArgumentException>(() => space.ToParameters([0.5, 0.5])).Message);
        var parameters = space.ToParameters([0.25, 0.5, 1.0]);
        Assert.Equal(new GrfParameters(SpectralDensityFamily.Ring, 2.125, 0.8, 0.9), parameters);
        Assert.Equal(new[] { 0.25, 0.5, 1.0 }, space.ToUnit(parameters).Select(v => Math.Round(v, 12)));
    }
}
