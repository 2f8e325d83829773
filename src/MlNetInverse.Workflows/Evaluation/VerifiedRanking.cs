using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Rcwa;
using MlNetInverse.Physics.Runtime;
using MlNetInverse.Workflows.Generation;
using MlNetInverse.Workflows.Verification;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// Verify-and-rank generation, beyond the paper: draw count x oversample designs from the MDN, rank the distinct ones by
/// the surrogate's |A - target|, simulate them with RCWA in rank order (a small calibration round first, then as many
/// as designs are still missing) until count of them are within the tolerance or the simulation budget is spent,
/// correcting the surrogate after every round by its mean offset from RCWA on the designs simulated so far, and return
/// the best count simulated designs by RCWA REP. Every returned design has been judged by the physics; the cost is the
/// simulations spent.
/// </summary>
internal sealed class VerifiedRanking : IDisposable
{
    private readonly GenerationModel _model;
    private readonly RcwaSolver _solver;
    private readonly int _threads;

    /// <summary>Ranks draws of <paramref name="model"/> and simulates them on <paramref name="stack"/> with <paramref name="threads"/> workers.</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public VerifiedRanking(GenerationModel model, OpticalStack stack, int threads, VerifiedRankingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "RCWA needs at least 1 worker.");
        _model = model;
        _solver = new RcwaSolver(stack);
        _threads = threads;
        Options = options;
    }

    public VerifiedRankingOptions Options { get; }

    /// <summary>Designs for <paramref name="target"/>: the same (target, count, seed) gives the same result.</summary>
    /// <param name="target">The target absorption.</param>
    /// <param name="count">Designs to return (at most the simulation budget).</param>
    /// <param name="seed">Seed of the MDN draws.</param>
    /// <param name="progress">Receives the simulations spent so far.</param>
    /// <param name="cancellationToken">Checked before every round of simulations.</param>
    public RankedDesigns Run(double target, int count, long seed, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Ask for at least 1 design.");
        int draws = checked(count * Options.Oversample);
        GeneratedTarget drawn;
        using (new TorchThreadScope(1))
            drawn = _model.Unscreened(draws, seed).Generate([target])[0];
        return Select(drawn, count, Options, _threads,
            maps => _solver.SimulateMany(maps, _threads, cancellationToken: cancellationToken).Select(r => r.Absorption).ToArray(), progress, cancellationToken);
    }

    /// <summary>
    /// The ranking and simulation loop on given draws: distinct maps ranked by |surrogate + offset - target| (earlier
    /// draw first on ties), where offset is the mean RCWA-minus-surrogate absorption of the designs simulated so far
    /// (0 before the first round, and always 0 when <see cref="VerifiedRankingOptions.CalibrationSimulations"/> is 0).
    /// The first round simulates the calibration share, later rounds max(designs still missing,
    /// <paramref name="roundMinimum"/>), until <paramref name="count"/> are within the tolerance or the budget is spent.
    /// Returns the best <paramref name="count"/> simulated designs by RCWA REP (fewer only when the budget or the
    /// distinct draws are fewer).
    /// </summary>
    /// <param name="drawn">The MDN draws with the surrogate's absorption of each.</param>
    /// <param name="count">Designs to return.</param>
    /// <param name="options">Tolerance, budget and calibration round.</param>
    /// <param name="roundMinimum">Fewest simulations per round (the RCWA workers, so none idles).</param>
    /// <param name="simulate">The physics: absorption of each map, in order.</param>
    /// <param name="progress">Receives the simulations spent so far.</param>
    /// <param name="cancellationToken">Checked before every round.</param>
    internal static RankedDesigns Select(GeneratedTarget drawn, int count, VerifiedRankingOptions options, int roundMinimum,
        Func<IReadOnlyList<Microstructure>, double[]> simulate, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        double target = drawn.Target;
        bool Within(double absorption) => RepStatistics.Rep(target, absorption) <= options.TolerancePercent;
        var waiting = Distinct(drawn).ToList();
        int distinct = waiting.Count;
        int budget = Math.Min(options.BudgetFor(count), distinct);
        bool correct = options.CalibrationSimulations > 0;
        var simulated = new List<(int Draw, double Absorption)>();
        int confirmed = 0;
        double offset = 0;
        while (confirmed < count && simulated.Count < budget)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int missing = count - confirmed;
            int round = simulated.Count == 0 && correct ? Math.Min(missing, options.CalibrationSimulations) : missing;
            round = Math.Min(Math.Max(round, roundMinimum), budget - simulated.Count);
            var batch = waiting.OrderBy(i => Math.Abs(drawn.PredictedAbsorption[i] + offset - target)).ThenBy(i => i).Take(round).ToArray();
            waiting.RemoveAll(batch.Contains);
            var absorption = simulate(batch.Select(i => Microstructure.FromPixels(drawn.Images[i], drawn.ImageSize)).ToArray());
            for (int k = 0; k < batch.Length; k++)
            {
                simulated.Add((batch[k], absorption[k]));
                if (Within(absorption[k])) confirmed++;
            }
            if (correct) offset = simulated.Average(s => s.Absorption - drawn.PredictedAbsorption[s.Draw]);
            progress?.Report(simulated.Count);
        }

        // Every simulated design is judged already, so the best by the physics are returned, whichever round found them.
        var chosen = simulated.OrderBy(s => RepStatistics.Rep(target, s.Absorption)).ThenBy(s => s.Draw).Take(count).ToArray();
        return new RankedDesigns(target, drawn.InTrainingRange,
            chosen.Select(c => drawn.Images[c.Draw]).ToArray(),
            chosen.Select(c => drawn.PredictedAbsorption[c.Draw]).ToArray(),
            chosen.Select(c => c.Absorption).ToArray(),
            chosen.Select(c => Within(c.Absorption)).ToArray(),
            drawn.Images.Count, distinct, simulated.Count, drawn.ImageSize, offset);
    }

    public void Dispose() => _solver.Dispose();

    /// <summary>Indices of the first occurrence of each distinct map (decoding snaps latents to codes, so draws can repeat).</summary>
    private static IEnumerable<int> Distinct(GeneratedTarget drawn)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < drawn.Images.Count; i++)
            if (seen.Add(Convert.ToBase64String(Microstructure.FromPixels(drawn.Images[i], drawn.ImageSize).ToPackedBits()))) yield return i;
    }
}
