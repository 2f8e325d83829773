using System.Diagnostics;
using System.Globalization;
using MlNetInverse.Baselines;
using MlNetInverse.Baselines.GanMdn;
using MlNetInverse.Baselines.MdnInverse;
using MlNetInverse.Baselines.Optimization;
using MlNetInverse.Baselines.PcaMdn;
using MlNetInverse.Baselines.Shared;
using MlNetInverse.Cli.Runtime;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Tests.Infrastructure;
using MlNetInverse.Tests.Models;
using Xunit.Abstractions;

namespace MlNetInverse.Tests.Baselines;

/// <summary>
/// Trains every baseline on the shipped 5,000-map dataset with quick CPU settings, times it, and judges 30 maps per
/// method at absorption 0.65 with the surrogate and with RCWA (the dataset's stack). Run with MLNET_INVERSE_SLOW_TESTS=1
/// (optionally MLNET_INVERSE_DATASET=path; MLNET_INVERSE_BASELINE_OUT=folder keeps the trained methods and a report).
/// </summary>
[Collection(TorchDeterminismCollection.Name)]
public sealed class BaselinesOnShippedDataTests(ITestOutputHelper output)
{
    private const double Target = 0.65;
    private const int Samples = 30;
    private static readonly double[] Targets = [0.55, 0.60, 0.65, 0.70, 0.75];
    private readonly List<string> _report = [];

    [SlowFact]
    public async Task GivenTheShippedDataset_WhenEveryBaselineTrainsWithQuickCpuSettings_ThenEachGeneratesNearTheTarget()
    {
        var path = Environment.GetEnvironmentVariable("MLNET_INVERSE_DATASET")
            ?? Path.Combine(RepositoryLocator.FindRoot([Environment.CurrentDirectory, AppContext.BaseDirectory]) ?? ".", "data", "microstructures.parquet");
        Assert.True(File.Exists(path), $"dataset '{path}' not found; generate it or set MLNET_INVERSE_DATASET");
        string? outFolder = Environment.GetEnvironmentVariable("MLNET_INVERSE_BASELINE_OUT");
        var dataset = await MicrostructureDatasetFile.ReadAsync(path);
        var (images, absorption) = MicrostructureArrays.From(dataset.Records);
        Log($"dataset: {absorption.Length} maps, absorption {absorption.Min():F3}..{absorption.Max():F3}; load average {LoadAverage()}");

        var watch = Stopwatch.StartNew();
        string? cached = outFolder is null ? null : Path.Combine(outFolder, "surrogate.bin");
        AbsorptionSurrogateModel surrogateModel;
        if (cached is not null && File.Exists(cached))
        {
            surrogateModel = AbsorptionSurrogateModel.Load(cached);
            Log($"surrogate (judge and GAN-MDN labeller): loaded from {cached}");
        }
        else
        {
            var trained = new SurrogateTrainer(new AbsorptionSurrogateOptions(), new SurrogateTrainingOptions { Epochs = 8, Threads = 1 }).Train(images, absorption);
            surrogateModel = trained.Model;
            if (cached is not null) surrogateModel.Save(cached);
            Log($"surrogate (judge and GAN-MDN labeller): 8 epochs, {watch.Elapsed.TotalSeconds:F0} s, held-out R^2 {trained.HeldOut.RSquared:F4}, MAE {trained.HeldOut.MeanAbsoluteError:F4}");
        }
        using var surrogate = surrogateModel;
        var judge = new SurrogateAbsorption(surrogate);
        using var rcwa = new RcwaAbsorption(dataset.Stack, threads: 2);
        var quickMdn = new MdnTrainingOptions { Epochs = 100 };

        var meanReps = new Dictionary<string, double>();
        watch.Restart();
        var pca = new PcaMdnTrainer(new PcaMdnOptions { Components = 32, MdnTraining = quickMdn, Threads = 1 }).Train(images, absorption);
        Log($"pca-mdn: PCA {pca.PcaSeconds:F0} s (k 32 keeps {100 * pca.ExplainedVarianceFraction:F1} % of the pixel variance), " +
            $"MDN 100 epochs {pca.MdnSeconds:F0} s, held-out NLL {pca.MdnHeldOutNll:F2}; total {watch.Elapsed.TotalSeconds:F0} s");
        using (var method = pca.Method) meanReps[method.Name] = Judge(method, judge, rcwa, outFolder);

        watch.Restart();
        var gan = new GanMdnTrainer(new GanMdnOptions { MdnTraining = quickMdn, Threads = 1 }).Train(images, judge,
            new TrainingTestData.SynchronousProgress<BaselineTrainingProgress>(p => { if (p.Stage == "gan") Log($"  gan epoch {p.Epoch}: G loss {p.Loss:F3}, {p.Seconds:F0} s"); }));
        Log($"gan-mdn: GAN {gan.GanHistory.Count} epochs {gan.GanSeconds:F0} s (D/G loss {gan.GanHistory[^1].DiscriminatorLoss:F2}/{gan.GanHistory[^1].GeneratorLoss:F2}), " +
            $"5000 labels {gan.LabelSeconds:F0} s (mean {gan.LabelMean:F3} +- {gan.LabelStandardDeviation:F3}), MDN {gan.MdnSeconds:F0} s; total {watch.Elapsed.TotalSeconds:F0} s");
        using (var method = gan.Method) meanReps[method.Name] = Judge(method, judge, rcwa, outFolder);

        watch.Restart();
        var inverse = new MdnInverseTrainer(new MdnInverseOptions { Threads = 1 }).Train(images, absorption,
            new TrainingTestData.SynchronousProgress<BaselineTrainingProgress>(p => Log($"  mdn-inverse epoch {p.Epoch}: BCE/pixel {p.Loss:F4}, {p.Seconds:F0} s")));
        Log($"mdn-inverse: 10 epochs {inverse.Seconds:F0} s, final BCE/pixel {inverse.History[^1].ReconstructionLoss:F4}, code NLL {inverse.History[^1].CodeNll:F2}");
        using (var method = inverse.Method) meanReps[method.Name] = Judge(method, judge, rcwa, outFolder);

        watch.Restart();
        using (var optimization = new OptimizationInverseMethod(new OptimizationInverseOptions(), dataset.Stack, rcwaThreads: 2))
        {
            var result = optimization.Optimize(Target, seed: 1);
            var best = result.RankedDistinct().Take(Samples).ToList();
            var surrogateReps = Reps(judge.Evaluate(best.Select(d => d.Map).ToList()));
            Log($"optimization: {result.SimulationsSpent} RCWA simulations, {watch.Elapsed.TotalSeconds:F0} s; min REP (RCWA) {result.MinRepPercent:F2} % " +
                $"(best params k {best[0].Parameters.MeanWavenumber:F2}, width {best[0].Parameters.StdWavenumber:F2}, vf {best[0].Parameters.VolumeFraction:F3}); " +
                $"{Samples} best: RCWA mean REP {best.Average(d => 100 * d.Rep):F2} %, surrogate mean REP {surrogateReps.Average():F2} %; " +
                $"first simulation under 5 % REP: #{result.History.FirstOrDefault(d => d.Rep < 0.05)?.Index.ToString(CultureInfo.InvariantCulture) ?? "none"}");
            if (outFolder is not null) optimization.Save(Path.Combine(outFolder, "optimization.bin"));
            Assert.True(result.MinRepPercent < 5, $"optimisation min REP {result.MinRepPercent} %");
        }
        if (outFolder is not null) File.WriteAllLines(Path.Combine(outFolder, "baselines-report.txt"), _report);

        foreach (var (name, rep) in meanReps) Assert.True(rep < 25, $"{name}: surrogate-judged mean REP {rep:F1} % at {Target}");
    }

    /// <summary>Generates 30 maps at the target, judges them with the surrogate (all five targets) and RCWA (0.65); returns the surrogate mean REP at 0.65.</summary>
    private double Judge(IInverseDesignMethod method, IAbsorptionEvaluator surrogate, IAbsorptionEvaluator rcwa, string? outFolder)
    {
        if (outFolder is not null) method.Save(Path.Combine(outFolder, method.Name + ".bin"));
        double atTarget = double.NaN;
        foreach (double target in Targets)
        {
            var watch = Stopwatch.StartNew();
            var maps = method.Generate(target, Samples, seed: 1);
            double seconds = watch.Elapsed.TotalSeconds;
            var reps = Reps(surrogate.Evaluate(maps), target);
            string line = $"  {method.Name} @ {target:F2}: surrogate REP min {reps.Min():F2} / mean {reps.Average():F2} / std {Std(reps):F2} %, " +
                $"mean vf {maps.Average(m => m.VolumeFraction):F3}, generation {1000 * seconds:F0} ms";
            if (target == Target)
            {
                atTarget = reps.Average();
                var truth = Reps(rcwa.Evaluate(maps), target);
                line += $"; RCWA REP min {truth.Min():F2} / mean {truth.Average():F2} / std {Std(truth):F2} %";
            }
            Log(line);
        }
        return atTarget;
    }

    private static double[] Reps(double[] absorption, double target = Target) => absorption.Select(a => 100 * Math.Abs(a - target) / target).ToArray();

    private static double Std(double[] values) => Math.Sqrt(values.Average(v => (v - values.Average()) * (v - values.Average())));

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private void Log(string line)
    {
        _report.Add(line);
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("MLNET_INVERSE_BASELINE_OUT") is { } folder)
            File.AppendAllLines(Path.Combine(folder, "baselines-progress.log"), [$"{DateTime.Now:HH:mm:ss} {line}"]);
    }
}
