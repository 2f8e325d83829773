using System.Diagnostics;
using MlNetInverse.Baselines.Shared;
using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Cli.Evaluation;

/// <summary>
/// Computes the cells of an evaluation (all of them, or a shard's contiguous share) that are not stored yet, judging
/// every design by RCWA on the setup's stack and by the model's surrogate, and stores each cell as soon as it is done.
/// Methods are made only when one of their cells is computed (a baseline is trained or loaded then).
/// </summary>
internal sealed class EvaluationRun(EvaluationSetup setup, Action<string> log)
{
    private readonly CellStore _store = new(setup.Out);

    /// <summary>Cells this run computed (the rest were reused).</summary>
    public int Computed { get; private set; }

    /// <summary>
    /// The cells in report order; a cell outside this run's shard that no other run has stored yet is null.
    /// </summary>
    public IReadOnlyList<CellResult?> Execute(CancellationToken cancellationToken)
    {
        var cells = setup.Cells;
        var (first, length) = setup.Shard is { } shard ? shard.Shard.Blocks(cells.Count) : (0, cells.Count);
        var results = new CellResult?[cells.Count];
        var surrogate = new ModelSurrogate(setup.Model.Decoder);
        var provider = new BaselineProvider(setup.Baselines, setup.Reference, setup.Split, setup.DataFingerprint, setup.ModelFingerprint, surrogate,
            setup.Stack, setup.Dataset.Generation.Ranges, setup.Dataset.Generation.Size, setup.Threads, setup.BaselineCache, log);
        using var solver = new RcwaSolver(setup.Stack);
        IEvaluationMethod? method = null;
        try
        {
            for (int c = 0; c < cells.Count; c++)
            {
                var (name, target) = cells[c];
                string fingerprint = setup.CellFingerprint(name, target);
                results[c] = _store.TryLoad(name, target, fingerprint);
                if (results[c] is not null || c < first || c >= first + length) continue;
                cancellationToken.ThrowIfCancellationRequested();
                if (method?.Name != name)
                {
                    method?.Dispose();
                    method = Create(name, provider, cancellationToken);
                }
                results[c] = Compute(method, target, solver, surrogate, provider.Trainings.GetValueOrDefault(name), cancellationToken);
                _store.Save(results[c]!, fingerprint);
                Computed++;
            }
        }
        finally
        {
            method?.Dispose();
        }
        return results;
    }

    private IEvaluationMethod Create(string name, BaselineProvider provider, CancellationToken cancellationToken) => name switch
    {
        EvaluationMethods.Proposed => new ProposedMethod(setup.Model),
        EvaluationMethods.ProposedRanked => new ProposedRankedMethod(new VerifiedRanking(setup.Model, setup.Stack, setup.Threads, setup.Ranking)),
        _ => provider.Create(name, cancellationToken),
    };

    private CellResult Compute(IEvaluationMethod method, double target, RcwaSolver solver, IAbsorptionEvaluator surrogate, BaselineTraining? training,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var output = method.Generate(target, setup.Samples, setup.Seed, cancellationToken);
        double generation = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var maps = output.Maps.Select(m => m.IsBinary ? m : m.Binarize()).ToArray();
        var rcwa = output.RcwaAbsorption ?? solver.SimulateMany(maps, setup.Threads, cancellationToken: cancellationToken).Select(r => r.Absorption).ToArray();
        var predicted = surrogate.Evaluate(maps, cancellationToken);
        var cell = new CellResult(method.Name, target, maps, rcwa, predicted, output.Simulations, output.Drawn, output.WithinTolerance,
            generation, watch.Elapsed.TotalSeconds, training);
        var s = cell.Rcwa;
        log(ReportNumbers.Text(
            $"{method.Name} @ {target:0.00}: RCWA REP min {s.Min:F2} / mean {s.Mean:F2} / std {s.StandardDeviation:F2} % ({maps.Length} designs{(output.Simulations > 0 ? $", {output.Simulations} RCWA simulations by the method" : "")}); {generation:F1} s + judge {cell.JudgeSeconds:F1} s"));
        return cell;
    }
}
