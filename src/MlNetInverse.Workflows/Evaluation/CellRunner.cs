using System.Diagnostics;
using MlNetInverse.Baselines.Shared;
using MlNetInverse.Physics.Rcwa;
using MlNetInverse.Workflows.Verification;
using static MlNetInverse.Physics.Formatting.InvariantText;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// Computes the cells of an evaluation (all of them, or a shard's contiguous share) that are not stored yet, one per
/// (method, seed, target), judging every design by RCWA on the setup's stack and by the model's surrogate, and stores
/// each cell as soon as it is done. With <see cref="EvaluationSetup.JudgeCheck"/> it also re-simulates each cell's
/// first designs at the settings next to the judge's, stored with the cell (a stored cell is topped up, not redrawn).
/// Methods are made only when one of their cells is computed (a baseline is trained or loaded then).
/// </summary>
internal sealed class CellRunner(EvaluationSetup setup, Action<string> log) : IDisposable
{
    private readonly CellStore _store = new(setup.Out);
    private readonly Dictionary<RcwaOptions, RcwaSolver> _neighbours = [];

    /// <summary>Cells this run computed (the rest were reused).</summary>
    public int Computed { get; private set; }

    /// <summary>Cells whose judge check this run computed.</summary>
    public int Checked { get; private set; }

    /// <summary>
    /// The stored cells in <see cref="EvaluationSetup.SeedCells"/> order; a cell outside this run's shard that no other
    /// run has stored yet is null.
    /// </summary>
    public IReadOnlyList<CellResult?> Execute(CancellationToken cancellationToken)
    {
        var cells = setup.SeedCells;
        var (first, length) = setup.Shard is { } shard ? shard.Blocks(cells.Count) : (0, cells.Count);
        var results = new CellResult?[cells.Count];
        var surrogate = new ModelSurrogate(setup.Model.Decoder);
        var provider = new BaselineProvider(setup.Baselines, setup.Reference, setup.Split, setup.DataFingerprint, setup.ModelFingerprint, surrogate,
            setup.Stack, setup.Dataset.Generation.Ranges, setup.Dataset.Generation.Size, setup.Threads, setup.BaselineCache, log);
        var controls = new ControlProvider(setup, surrogate, log);
        using var solver = new RcwaSolver(setup.Stack);
        IEvaluationMethod? method = null;
        try
        {
            for (int c = 0; c < cells.Count; c++)
            {
                var (name, seed, target) = cells[c];
                string fingerprint = setup.CellFingerprint(name, target, seed);
                results[c] = _store.TryLoad(name, target, seed, fingerprint);
                if (c < first || c >= first + length) continue;
                cancellationToken.ThrowIfCancellationRequested();
                bool changed = false;
                if (results[c] is null)
                {
                    if (method?.Name != name)
                    {
                        method?.Dispose();
                        method = Create(name, provider, controls, cancellationToken);
                    }
                    var training = provider.Trainings.GetValueOrDefault(name) ?? controls.Trainings.GetValueOrDefault(name);
                    results[c] = Compute(method, target, seed, solver, surrogate, training, cancellationToken);
                    Computed++;
                    changed = true;
                }
                if (NeedsCheck(results[c]!))
                {
                    results[c] = results[c]! with { Check = Check(results[c]!, cancellationToken) };
                    Checked++;
                    changed = true;
                }
                if (changed) _store.Save(results[c]!, seed, fingerprint);
            }
        }
        finally
        {
            method?.Dispose();
        }
        return results;
    }

    /// <summary>
    /// The report's cells (<see cref="EvaluationSetup.Cells"/> order): each (method, target) with the designs of every
    /// seed pooled and its judge check cut to <see cref="EvaluationSetup.JudgeCheck"/> designs per seed (none at 0); null
    /// when one of its seeds is not stored yet.
    /// </summary>
    public static IReadOnlyList<CellResult?> Pool(EvaluationSetup setup, IReadOnlyList<CellResult?> stored)
    {
        var bySeed = setup.SeedCells.Select((cell, k) => (cell, result: stored[k])).ToArray();
        return setup.Cells.Select(cell =>
        {
            var parts = bySeed.Where(s => s.cell.Method == cell.Method && s.cell.Target == cell.Target).Select(s => s.result).ToArray();
            if (parts.Any(p => p is null)) return null;
            return CellResult.Pool(parts.Select(p => p! with { Check = setup.JudgeCheck > 0 ? p.Check?.Take(setup.JudgeCheck) : null }).ToArray());
        }).ToArray();
    }

    public void Dispose()
    {
        foreach (var solver in _neighbours.Values) solver.Dispose();
        _neighbours.Clear();
    }

    private IEvaluationMethod Create(string name, BaselineProvider provider, ControlProvider controls, CancellationToken cancellationToken) => name switch
    {
        EvaluationMethods.VfControl or EvaluationMethods.VfControlScreened => controls.Create(name),
        EvaluationMethods.Paper => new PaperMethod(setup.Model),
        EvaluationMethods.Proposed => new ProposedMethod(setup.Model),
        EvaluationMethods.CodePrior => new CodePriorMethod(setup.Model, setup.Prior ?? throw new InvalidOperationException("The code-prior method needs the setup's prior.")),
        EvaluationMethods.ProposedRanked => new ProposedRankedMethod(new VerifiedRanking(setup.Model, setup.Stack, setup.Threads, setup.Ranking)),
        _ => provider.Create(name, cancellationToken),
    };

    private CellResult Compute(IEvaluationMethod method, double target, long seed, RcwaSolver solver, IAbsorptionEvaluator surrogate, BaselineTraining? training,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var output = method.Generate(target, setup.Samples, seed, cancellationToken);
        double generation = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var maps = output.Maps.Select(m => m.IsBinary ? m : m.Binarize()).ToArray();
        var rcwa = output.RcwaAbsorption ?? solver.SimulateMany(maps, setup.Threads, cancellationToken: cancellationToken).Select(r => r.Absorption).ToArray();
        var predicted = surrogate.Evaluate(maps, cancellationToken);
        var cell = new CellResult(method.Name, target, maps, rcwa, predicted, output.Simulations, output.Drawn, output.WithinTolerance,
            generation, watch.Elapsed.TotalSeconds, training, [seed]);
        var s = cell.Rcwa;
        log(Text(
            $"{method.Name} @ {target:0.00}, seed {seed}: RCWA REP min {s.Min:F2} / mean {s.Mean:F2} / std {s.StandardDeviation:F2} % ({maps.Length} designs{(output.Simulations > 0 ? $", {output.Simulations} RCWA simulations by the method" : "")}); {generation:F1} s + judge {cell.JudgeSeconds:F1} s"));
        return cell;
    }

    /// <summary>True when the check asks for more designs than the cell has checked (at most all its designs).</summary>
    private bool NeedsCheck(CellResult cell) => setup.JudgeCheck > 0 && (cell.Check?.Designs ?? 0) < Math.Min(setup.JudgeCheck, cell.Maps.Count);

    private JudgeCheck Check(CellResult cell, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var maps = cell.Maps.Take(setup.JudgeCheck).ToArray();
        var variants = TruncationBand.Neighbours(setup.Stack.Solver).Select(options =>
        {
            if (!_neighbours.TryGetValue(options, out var neighbour)) _neighbours[options] = neighbour = new RcwaSolver(setup.Stack with { Solver = options });
            return new JudgeVariant(options.Harmonics, options.Factorization,
                neighbour.SimulateMany(maps, setup.Threads, cancellationToken: cancellationToken).Select(r => r.Absorption).ToArray());
        }).ToArray();
        var check = new JudgeCheck(variants);
        var shifts = check.Shifts(cell.Target, cell.RcwaAbsorption);
        log(Text($"{cell.Method} @ {cell.Target:0.00}: judge check of {maps.Length} design(s): mean |delta REP| {string.Join("; ", variants.Select((v, k) => $"{v.Label}: {shifts[k].Average():F3}"))} REP points; {watch.Elapsed.TotalSeconds:F1} s"));
        return check;
    }
}
