using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML;
using MlNetInverse.Cli.Evaluation;
using MlNetInverse.Cli.Reports;
using MlNetInverse.Cli.Runtime;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Optics;
using Spectre.Console;
using Spectre.Console.Cli;
using static MlNetInverse.Cli.Evaluation.ReportNumbers;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>evaluate</c>: the paper's Table I with the physics as judge. Every method (the zip as the paper samples it, the
/// zip as shipped and with verify-and-rank, the learning-free volume-fraction controls, and the four baselines trained
/// on the model's training split) generates designs per target with each evaluation seed; every design is simulated
/// with RCWA on the labels' stack and scored by the model's surrogate; each cell pools the seeds and reports a bootstrap
/// interval of its mean REP and its skill against the control; the report adds diversity, novelty, volume fraction and
/// spectrum against the training data and, with --judge-check, the REP floor the solver's truncation implies. Cells are
/// stored as they finish (OUT/cells), so a rerun resumes and shards share the work. Every input is checked before
/// anything is written.
/// </summary>
internal sealed class EvaluateCommand : AsyncCommand<EvaluateSettings>
{
    /// <summary>Designs per method shown in each target's grid PNG.</summary>
    public const int GridColumns = 10;

    private readonly CliOutput _output;

    public EvaluateCommand(CliOutput output) => _output = output;

    public override async Task<int> ExecuteAsync(CommandContext context, EvaluateSettings settings, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var claim = OutputClaim.Folder(context, "--out", settings.Out!, ShardOption.Resolve(settings.Shard), settings.Model, settings.Data, settings.Stack);
        var model = GenerationModel.Load(new MLContext(seed: 0), settings.Model!);
        var stack = settings.Stack is { } stackPath ? OpticalStackFile.Load(stackPath) : model.Mdn.Stack
            ?? throw new InvalidDataException($"model '{settings.Model}' holds no optical stack (its training data carried none); pass the labels' stack with --stack FILE.json.");
        var dataPath = ResolveData(settings.Data, settings.Model!);
        var dataset = await MicrostructureDatasetFile.ReadAsync(dataPath, cancellationToken);
        if (dataset.Generation.Size != model.Decoder.ImageSize)
            throw new InvalidDataException($"--data '{dataPath}' holds {dataset.Generation.Size}x{dataset.Generation.Size} maps but the model makes {model.Decoder.ImageSize}x{model.Decoder.ImageSize} maps; pass the model's dataset.");
        var split = EvaluationSplit.For(settings.Model!, dataPath, dataset.Records.Select(r => r.Id).ToArray(), dataset.Records.Select(r => (float)r.Absorption).ToArray());
        var setup = new EvaluationSetup
        {
            ModelPath = Path.GetFullPath(settings.Model!), ModelFingerprint = EvaluationSetup.FileFingerprint(settings.Model!), Model = model, Stack = stack,
            DataPath = Path.GetFullPath(dataPath), DataFingerprint = EvaluationSetup.FileFingerprint(dataPath), Dataset = dataset, Split = split,
            Reference = new TrainingReference(dataset.Records, split), Targets = settings.TargetList, Methods = settings.MethodList, Samples = settings.Samples,
            Seed = settings.SeedList[0], Seeds = settings.SeedList, JudgeCheck = settings.JudgeCheck, Threads = settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount,
            Baselines = new BaselineSettings { OptimizationBudget = settings.OptimizationBudget }, Ranking = settings.Ranking,
            BaselineCache = Path.GetFullPath(settings.Baselines ?? Path.Combine(settings.Out!, "baselines")), Out = Path.GetFullPath(settings.Out!),
            Shard = ShardOption.Resolve(settings.Shard),
        };
        foreach (var target in setup.Targets.Where(t => !model.Mdn.IsInTrainingRange(t)))
            _output.Error.WriteLine(Text($"warning: target {target:0.###} lies outside the MDN's training absorption range [{model.Mdn.TrainingAbsorptionMin:0.####}, {model.Mdn.TrainingAbsorptionMax:0.####}]; its designs are extrapolated."));
        if (setup.Seeds.Contains(split.Seed))
            _output.Error.WriteLine(Text($"warning: the evaluation seed {split.Seed} equals the training seed; pass other seeds so evaluation draws are independent of training."));

        _output.Out.WriteLine(Text($"evaluating {setup.Methods.Count} method(s) x {setup.Targets.Count} target(s) x {setup.Samples} designs x {setup.Seeds.Count} seed(s) ({string.Join(", ", setup.Seeds)}); RCWA judge: '{stack.Name}', {stack.Solver.Harmonics} harmonics, {stack.Solver.Factorization}, {setup.Threads} worker(s){(setup.JudgeCheck > 0 ? Text($"; judge check of {setup.JudgeCheck} design(s) per cell and seed at {string.Join("; ", Physics.Rcwa.TruncationBand.Neighbours(stack.Solver).Select(Physics.Rcwa.TruncationBand.Describe))}") : "")}"));
        _output.Out.WriteLine(Text($"data: {setup.DataPath}: {split.Training.Length} training / {split.HeldOut.Length} held-out rows; {split.Check}"));
        if (setup.Shard is { } shard)
        {
            var (first, length) = shard.Shard.Blocks(setup.SeedCells.Count);
            _output.Out.WriteLine(Text($"{shard}: computing cells {first + 1}..{first + length} of {setup.SeedCells.Count} (method, then seed, then target)"));
        }
        Directory.CreateDirectory(setup.Out);
        using var run = new EvaluationRun(setup, line => _output.Out.WriteLine(line));
        IReadOnlyList<CellResult?> stored;
        try
        {
            stored = run.Execute(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _output.Error.WriteLine($"cancelled; finished cells are kept in '{Path.Combine(setup.Out, "cells")}': rerun the same command to resume.");
            return CliErrors.Cancelled;
        }
        var cells = EvaluationRun.Pool(setup, stored);
        if (cells.Any(c => c is null))
        {
            _output.Out.WriteLine(Text($"{run.Computed} cell(s) computed; {stored.Count(c => c is not null)} of {stored.Count} stored in {Path.Combine(setup.Out, "cells")}. Run without --shard once every shard has finished to write the report."));
            return CliErrors.Success;
        }
        var report = new EvaluationReport(setup, cells.Select(c => c!).ToArray(), watch.Elapsed.TotalSeconds, run.Computed);
        Write(report);
        Print(report);
        return CliErrors.Success;
    }

    /// <summary>report.md, report.json, the box plot and one design grid per target, each written atomically.</summary>
    private static void Write(EvaluationReport report)
    {
        var setup = report.Setup;
        AtomicFile.WriteAllText(Path.Combine(setup.Out, "report.md"), EvaluationMarkdown.Write(report));
        AtomicFile.WriteAllText(Path.Combine(setup.Out, "report.json"), EvaluationJson.Write(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        RepBoxPlotPng.Write(Path.Combine(setup.Out, "rep-boxplot.png"), report.Methods, setup.Targets,
            report.Methods.Select(m => (IReadOnlyList<double[]>)report.Of(m).Select(c => c.RcwaReps).ToArray()).ToArray(),
            Text($"RCWA-judged REP (%), {setup.Samples * setup.Seeds.Count} designs per target and method, seed(s) {string.Join(", ", setup.Seeds)}"));
        foreach (var target in setup.Targets)
            GenerationGridPng.Write(Path.Combine(setup.Out, $"designs-{GenerateSettings.TargetName(target)}.png"),
                report.Methods.Select(m => (IReadOnlyList<float[]>)report.Of(m).Single(c => c.Target == target).Maps.Take(GridColumns).Select(map => map.ToArray()).ToArray()).ToArray(),
                setup.Dataset.Generation.Size);
    }

    private void Print(EvaluationReport report)
    {
        var table = new Table().Title("REP % judged by RCWA (paper Table I, seeds pooled)").Caption("skill: vf-control mean REP / the method's at the target")
            .AddColumns(new[] { "method", "target", "min", "mean [95 % CI]", "std", "skill", "sims" }.Select(Markup.Escape).ToArray());
        foreach (var c in report.Cells)
            table.AddRow(new[]
                {
                    c.Method, Target(c.Target), Fixed(c.Rcwa.Min, 2), Text($"{Fixed(c.Rcwa.Mean, 2)} [{Fixed(c.RcwaMeanInterval.Lower, 2)}, {Fixed(c.RcwaMeanInterval.Upper, 2)}]"),
                    Fixed(c.Rcwa.StandardDeviation, 2), Skill(report.Skill(c, EvaluationMethods.VfControl)), Text($"{c.MethodSimulations}"),
                }
                .Select(Markup.Escape).ToArray());
        _output.Console.Write(table);
        if (report.Floor is { } floor)
            _output.Out.WriteLine(Text($"judge check: REP floor {floor.Value:F2} % (mean |delta REP| at {floor.Setting}); min or mean REPs below it are within solver uncertainty"));
        foreach (var method in EvaluationMethods.Judged.Where(report.Methods.Contains))
            foreach (var line in EvaluationBar.Lines(report, method))
                _output.Out.WriteLine($"bar ({method}): {line}");
        foreach (var line in report.MorphologyFidelity.Summary()) _output.Out.WriteLine(line);
        _output.Out.WriteLine(Text($"report: {Path.Combine(report.Setup.Out, "report.md")} (+ report.json, rep-boxplot.png, designs-*.png); wall time {report.WallSeconds:F0} s"));
    }

    /// <summary>--data, else the dataset named in metrics.json beside the model, else the repository's shipped dataset.</summary>
    private static string ResolveData(string? data, string model)
    {
        if (data is not null) return data;
        var metrics = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(model))!, "metrics.json");
        if (File.Exists(metrics) && JsonNode.Parse(File.ReadAllText(metrics))?["dataset"]?["file"]?.GetValue<string>() is { } recorded && File.Exists(recorded))
            return recorded;
        var root = RepositoryLocator.FindRoot([Environment.CurrentDirectory, AppContext.BaseDirectory]);
        var shipped = root is null ? null : Path.Combine(root, "data", "microstructures.parquet");
        return shipped is not null && File.Exists(shipped) ? shipped
            : throw new FileNotFoundException("no --data given, no existing dataset named in metrics.json beside the model, and no data/microstructures.parquet in the repository; pass the model's training dataset with --data FILE.parquet.");
    }
}
