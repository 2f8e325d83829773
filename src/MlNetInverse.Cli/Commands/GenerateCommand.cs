using System.Text;
using Microsoft.ML;
using MlNetInverse.Cli.Generation;
using MlNetInverse.Cli.Output;
using MlNetInverse.Cli.Patterns;
using MlNetInverse.Cli.Progress;
using MlNetInverse.Cli.Reports;
using MlNetInverse.ML.Generation;
using MlNetInverse.Models.CodePrior;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Runtime;
using MlNetInverse.Physics.Storage;
using MlNetInverse.Workflows.Evaluation;
using MlNetInverse.Workflows.Generation;
using MlNetInverse.Workflows.Verification;
using Spectre.Console;
using Spectre.Console.Cli;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>generate</c>: target absorptions -> designs with a generation model zip. Writes one PNG per design, a grid with one
/// row per target and designs.csv; with <c>--verify</c> simulates every design with RCWA on the stack stored in the
/// model (the labels' own configuration) and prints REP per design and min/mean/std per target (paper Table I); with
/// <c>--verify-rank</c> it oversamples, ranks by the surrogate and returns RCWA-confirmed designs (<see cref="VerifiedRanking"/>).
/// Every input is checked before anything is written.
/// </summary>
internal sealed class GenerateCommand : Command<GenerateSettings>
{
    private readonly CliOutput _output;

    public GenerateCommand(CliOutput output) => _output = output;

    public override int Execute(CommandContext context, GenerateSettings settings, CancellationToken cancellationToken)
    {
        var targets = settings.TargetList;
        using var claim = OutputClaim.Folder(context, "--out", settings.Out!, ShardOption.Resolve(settings.Shard), settings.Model, settings.Stack);
        if (!settings.Overwrite) OutputFolderContents.RefuseForeign(settings.Out!, DesignFolderWriter.IsOutputEntry, "generate");
        var mlContext = new MLContext(seed: 0);
        var loaded = GenerationModel.Load(mlContext, settings.Model!);
        if (settings.Prior is { } priorPath)
        {
            // --prior: the zip's chain with the prior drawing its latents, as 'train prior --out X.zip' saves it.
            using var prior = MaskedCodePrior.Load(priorPath, loaded.Decoder.Device);
            loaded = loaded.WithCodePrior(prior);
        }
        // Before With: a screened model decodes its draws once there already.
        bool streamed = !settings.Verify && !settings.VerifyRank;
        int chunkSize = ChunkSize.Value ?? ChunkedGeneration.DefaultChunkSize;
        GenerationMemory.Check(settings.Count ?? loaded.DesignsPerTarget, loaded.Oversampling, loaded.Sampler.LatentDimension, loaded.Decoder.ImageSize,
            streamed ? chunkSize : null);
        var model = loaded.With(settings.Count ?? loaded.DesignsPerTarget, settings.Seed ?? loaded.Sampler.SamplingSeed);
        OpticalStack? stack = null;
        if (settings.Verify || settings.VerifyRank)
            stack = settings.Stack is { } path ? OpticalStackFile.Load(path) : model.Sampler.Stack
                ?? throw new InvalidDataException($"{(settings.VerifyRank ? "--verify-rank" : "--verify")}: model '{settings.Model}' holds no optical stack (its training data carried none); pass the labels' stack with --stack FILE.json.");
        foreach (var warning in targets.Select(t => model.OutOfRangeWarning(t, untrusted: true)).OfType<string>()) _output.Error.WriteLine(warning);

        var console = _output.Console;
        if (settings.VerifyRank) return GenerateVerifiedRanked(settings, model, stack!, targets, cancellationToken);
        console.MarkupLineInterpolated($"generating {model.DesignsPerTarget} designs for each of {targets.Count} target(s) with '{settings.Model}'{PriorPhrase(settings, model)} (seed {model.Sampler.SamplingSeed}{Screening(model)})");
        if (stack is null)
        {
            // One target at a time, a chunk of candidates at a time, each design written as it comes: memory does not
            // grow with --count beyond a float or two per draw (a target's draws depend only on the seed and the
            // target, so the designs are those of one pass over all of them).
            var summaries = new List<GeneratedTarget>();
            var chunked = model.Chunked(chunkSize);
            int size = model.Decoder.ImageSize, pixels = size * size;
            using (var writer = new DesignFolderWriter(settings.Out!))
            {
                foreach (var target in targets)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    bool inRange = model.Sampler.IsInTrainingRange(target);
                    var predictions = new List<float>(model.DesignsPerTarget);
                    writer.BeginTarget(target, inRange, size);
                    using (new TorchThreadScope(1))
                        foreach (var chunk in chunked.Generate((float)target))
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            for (int k = 0; k < chunk.Count; k++) writer.AddDesign(chunk.Images.AsSpan(k * pixels, pixels), chunk.Predictions[k]);
                            predictions.AddRange(chunk.Predictions);
                        }
                    writer.EndTarget();
                    summaries.Add(new GeneratedTarget(target, inRange, [], predictions.ToArray(), size));
                }
                writer.Complete();
            }
            Print(settings.Out!, summaries, null);
            return CliErrors.Success;
        }
        GeneratedTarget[] generated;
        using (new TorchThreadScope(1))
            generated = model.Generate(targets);
        // A shard stores its share; whichever run finds every design stored writes the designs.
        var verified = Verify(settings, stack, generated, cancellationToken);
        if (verified is null) return CliErrors.Success;
        Write(settings.Out!, generated, verified);
        Print(settings.Out!, generated, verified);
        return CliErrors.Success;
    }

    /// <summary>", best 30 of 120 draws by the surrogate" for a screened model (see <see cref="GenerationModel.Screen"/>); empty without a screen.</summary>
    private static string Screening(GenerationModel model) => model.Screen("draws by the surrogate") is { } screen ? ", " + screen : "";

    /// <summary>" with the code prior 'X' (16 rounds per grid)" with --prior; ", a code prior's zip (...)" for a zip whose chain samples with one; else empty.</summary>
    private static string PriorPhrase(GenerateSettings settings, GenerationModel model) => model.CodePrior is not { } prior ? ""
        : settings.Prior is not null ? Text($" with the code prior '{settings.Prior}' ({prior.Rounds} rounds per grid) in place of its MDN")
        : Text($" (its code prior draws, {prior.Rounds} rounds per grid)");

    /// <summary>
    /// --verify through <see cref="VerificationRun"/>: simulates the designs no file in OUT/rcwa holds yet (only the
    /// shard's contiguous share of them with --shard) and stores them; returns every target's RCWA absorption, or null
    /// while some designs are not stored yet.
    /// </summary>
    private RcwaVerification[]? Verify(GenerateSettings settings, OpticalStack stack, GeneratedTarget[] generated, CancellationToken cancellationToken)
    {
        var console = _output.Console;
        int threads = settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount;
        var shard = ShardOption.Resolve(settings.Shard);
        var run = VerificationRun.Open(settings.Out!, stack, generated, shard?.Shard);
        int first = run.First, length = run.Length;
        foreach (var damaged in run.Damaged) _output.Error.WriteLine("warning: " + damaged);
        console.MarkupLineInterpolated($"RCWA: {run.ToSimulate.Count} of {run.Designs} designs to simulate{(shard is null ? "" : Text($" ({shard}: designs {first + 1}..{first + length})"))}, {run.Stored} stored in {run.Folder}; stack '{stack.Name}' ({stack.Solver.Harmonics} harmonics, {stack.WavelengthsNm.Count} wavelengths), {threads} worker(s)");
        var verified = run.ToSimulate.Count == 0
            ? run.Run(threads, null, cancellationToken)
            : console.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(progress =>
                {
                    var task = progress.AddTask("RCWA", maxValue: run.ToSimulate.Count);
                    return run.Run(threads, new SynchronousProgress<int>(done => task.Value = done), cancellationToken);
                });
        if (verified is null)
            _output.Out.WriteLine(Text($"{run.Stored} of {run.Designs} designs simulated and stored in {run.Folder}; run without --shard once every shard has finished to write the designs and the REP table."));
        return verified;
    }

    /// <summary>
    /// --verify-rank: per target, count x oversample MDN draws ranked by the surrogate, the best simulated with RCWA
    /// until count are within the tolerance or the budget is spent (<see cref="VerifiedRanking"/>).
    /// </summary>
    private int GenerateVerifiedRanked(GenerateSettings settings, GenerationModel model, OpticalStack stack, IReadOnlyList<double> targets, CancellationToken cancellationToken)
    {
        int count = model.DesignsPerTarget, threads = settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount;
        var options = settings.Ranking;
        _output.Out.WriteLine(Text(
            $"verify-and-rank: {count * options.Oversample} {model.Sampler.SamplerName} draws per target (seed {model.Sampler.SamplingSeed}) ranked by the surrogate{(options.CalibrationSimulations > 0 ? $" (corrected by its offset from RCWA after a first round of {options.CalibrationSimulations})" : "")}; RCWA on '{stack.Name}' ({stack.Solver.Harmonics} harmonics, {threads} worker(s)) in rank order until {count} are within {options.TolerancePercent:0.###} % REP, at most {options.BudgetFor(count)} simulations per target"));
        using var ranking = new VerifiedRanking(model, stack, threads, options);
        var ranked = targets.Select(t => ranking.Run(t, count, model.Sampler.SamplingSeed, null, cancellationToken)).ToArray();
        var generated = ranked.Select(r => r.AsGenerated()).ToArray();
        var verified = ranked.Select(r => r.AsVerification()).ToArray();
        Write(settings.Out!, generated, verified);
        foreach (var r in ranked)
            _output.Out.WriteLine(Text($"target {r.Target:0.000}: {r.Confirmed} of {r.Images.Count} designs within {options.TolerancePercent:0.###} % after {r.Simulations} RCWA simulations ({r.Drawn} draws, {r.Distinct} distinct, ranked by the surrogate{(options.CalibrationSimulations > 0 ? $", its offset from RCWA here {r.SurrogateOffset:+0.0000;-0.0000}" : "")})"));
        Print(settings.Out!, generated, verified);
        _output.Out.WriteLine(Text($"cost: {ranked.Sum(r => r.Simulations)} RCWA simulations for {ranked.Sum(r => r.Images.Count)} designs"));
        return CliErrors.Success;
    }

    /// <summary>Tests only: candidates per chunk of the streamed path (null: <see cref="ChunkedGeneration.DefaultChunkSize"/>), per async flow.</summary>
    internal static readonly AsyncLocal<int?> ChunkSize = new();

    /// <summary>Designs per target shown in grid.png (the first ones; every design still gets its own PNG).</summary>
    public const int GridDesignsPerTarget = DesignFolderWriter.GridDesignsPerTarget;

    /// <summary>One PNG per design, designs.csv and the grid (through <see cref="DesignFolderWriter"/>).</summary>
    private static void Write(string folder, IReadOnlyList<GeneratedTarget> generated, IReadOnlyList<RcwaVerification>? verified)
    {
        using var writer = new DesignFolderWriter(folder);
        for (int t = 0; t < generated.Count; t++) writer.Add(generated[t], verified?[t]);
        writer.Complete();
    }

    private void Print(string folder, IReadOnlyList<GeneratedTarget> generated, IReadOnlyList<RcwaVerification>? verified)
    {
        _output.Out.WriteLine($"designs: {Path.GetFullPath(folder)} (target-*/design-*.png, grid.png with one row per target, designs.csv)");
        if (verified is not null)
            foreach (var v in verified)
                _output.Out.WriteLine(Text($"target {v.Target:0.000} REP % per design: ") + string.Join(" ", v.Reps.Select(r => Text($"{r:F2}"))));
        var table = new Table().AddColumns("target", "in range", "designs", "surrogate mean")
            .Title(Markup.Escape(verified is null
                ? "REP % of the generated designs (surrogate screen; --verify for RCWA)"
                : "REP % of the generated designs, judged by RCWA (paper Table I: min, mean, std)"));
        if (verified is not null) table.AddColumns("RCWA min", "RCWA mean", "RCWA std");
        for (int t = 0; t < generated.Count; t++)
        {
            var g = generated[t];
            var cells = new List<string> { Text($"{g.Target:0.000}"), g.InTrainingRange ? "yes" : "NO", Text($"{g.PredictedAbsorption.Length}"), Text($"{g.SurrogateRep.Mean:F2}") };
            if (verified is not null)
            {
                var s = verified[t].Statistics;
                cells.AddRange([Text($"{s.Min:F2}"), Text($"{s.Mean:F2}"), Text($"{s.StandardDeviation:F2}")]);
            }
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        _output.Console.Write(table);
    }
}
