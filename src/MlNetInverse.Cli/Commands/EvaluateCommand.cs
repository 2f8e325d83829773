using MlNetInverse.Cli.Output;
using MlNetInverse.Cli.Progress;
using MlNetInverse.Cli.Reports;
using MlNetInverse.Cli.Runtime;
using MlNetInverse.Workflows.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;
using static MlNetInverse.Physics.Formatting.InvariantText;
using static MlNetInverse.Workflows.Evaluation.ReportNumbers;

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
        var shard = ShardOption.Resolve(settings.Shard);
        using var claim = OutputClaim.Folder(context, "--out", settings.Out!, shard, settings.Model, settings.Data, settings.Stack);
        var options = new EvaluationOptions
        {
            ModelPath = settings.Model!, DataPath = ResolveData(settings.Data, settings.Model!), StackPath = settings.Stack, Targets = settings.TargetList,
            Methods = settings.MethodList, PriorPath = settings.Prior, Samples = settings.Samples, Seeds = settings.SeedList, JudgeCheck = settings.JudgeCheck, Threads = settings.Threads,
            OptimizationBudget = settings.OptimizationBudget, Ranking = settings.Ranking, OutputFolder = settings.Out!, BaselineCache = settings.Baselines,
            Shard = shard?.Shard, Overwrite = settings.Overwrite, Log = new SynchronousProgress<string>(line => _output.Out.WriteLine(line)),
        };
        var run = await EvaluationRun.OpenAsync(options, cancellationToken);
        var setup = run.Setup;
        var stack = setup.Stack;
        var split = setup.Split;
        foreach (var warning in run.Warnings) _output.Error.WriteLine(warning);

        _output.Out.WriteLine(Text($"evaluating {setup.Methods.Count} method(s) x {setup.Targets.Count} target(s) x {setup.Samples} designs x {setup.Seeds.Count} seed(s) ({string.Join(", ", setup.Seeds)}); RCWA judge: '{stack.Name}', {stack.Solver.Harmonics} harmonics, {stack.Solver.Factorization}, {setup.Threads} worker(s){(setup.JudgeCheck > 0 ? Text($"; judge check of {setup.JudgeCheck} design(s) per cell and seed at {string.Join("; ", Physics.Rcwa.TruncationBand.Neighbours(stack.Solver).Select(Physics.Rcwa.TruncationBand.Describe))}") : "")}"));
        _output.Out.WriteLine(Text($"data: {setup.DataPath}: {split.Training.Length} training / {split.HeldOut.Length} held-out rows; {split.Check}"));
        if (shard is not null)
        {
            var (first, length) = shard.Shard.Blocks(setup.SeedCells.Count);
            _output.Out.WriteLine(Text($"{shard}: computing cells {first + 1}..{first + length} of {setup.SeedCells.Count} (method, then seed, then target)"));
        }
        EvaluationResult result;
        try
        {
            result = run.Run(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _output.Error.WriteLine($"cancelled; finished cells are kept in '{Path.Combine(setup.Out, "cells")}': rerun the same command to resume.");
            return CliErrors.Cancelled;
        }
        if (result.Report is not { } report)
        {
            _output.Out.WriteLine(Text($"{result.ComputedCells} cell(s) computed; {result.StoredCells} of {result.TotalCells} stored in {Path.Combine(setup.Out, "cells")}. Run without --shard once every shard has finished to write the report."));
            return CliErrors.Success;
        }
        Write(report);
        Print(report);
        return CliErrors.Success;
    }

    /// <summary>The box plot and one design grid per target (report.md and report.json are the run's).</summary>
    private static void Write(EvaluationReport report)
    {
        var setup = report.Setup;
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
    internal static string ResolveData(string? data, string model)
    {
        if (data is not null) return data;
        if (EvaluationRun.RecordedDataset(model) is { } recorded) return recorded;
        var root = RepositoryLocator.FindRoot([Environment.CurrentDirectory, AppContext.BaseDirectory]);
        var shipped = root is null ? null : Path.Combine(root, "data", "microstructures.parquet");
        return shipped is not null && File.Exists(shipped) ? shipped
            : throw new FileNotFoundException("no --data given, no existing dataset named in metrics.json beside the model, and no data/microstructures.parquet in the repository; pass the model's training dataset with --data FILE.parquet.");
    }
}
