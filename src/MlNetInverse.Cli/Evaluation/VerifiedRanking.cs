using MlNetInverse.Cli.Commands;
using MlNetInverse.Cli.Reports;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Rcwa;
using MlNetInverse.Physics.Runtime;

namespace MlNetInverse.Cli.Evaluation;

/// <summary>
/// Verify-and-rank generation, beyond the paper: draw count x oversample designs from the MDN, rank the distinct ones by
/// the surrogate's |A - target|, simulate them with RCWA in rank order (a round at a time, as many as designs are still
/// missing) until count of them are within the tolerance or the simulation budget is spent, and return the confirmed
/// designs (in rank order) topped up with the best remaining simulated ones by RCWA REP. Every returned design has
/// been judged by the physics; the cost is the simulations spent.
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
    /// The ranking and simulation loop on given draws: distinct maps ranked by |surrogate - target| (earlier draw first
    /// on ties), simulated in rounds of max(designs still missing, <paramref name="roundMinimum"/>) until
    /// <paramref name="count"/> are within the tolerance or the budget is spent. Returns fewer than count designs only
    /// when the budget or the distinct draws are fewer.
    /// </summary>
    /// <param name="simulate">The physics: absorption of each map, in order.</param>
    internal static RankedDesigns Select(GeneratedTarget drawn, int count, VerifiedRankingOptions options, int roundMinimum,
        Func<IReadOnlyList<Microstructure>, double[]> simulate, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        double target = drawn.Target;
        bool Within(double absorption) => RepStatistics.Rep(target, absorption) <= options.TolerancePercent;
        var ranked = Distinct(drawn).OrderBy(i => Math.Abs(drawn.PredictedAbsorption[i] - target)).ThenBy(i => i).ToArray();
        int budget = Math.Min(options.BudgetFor(count), ranked.Length);
        var simulated = new List<(int Draw, double Absorption)>();
        int confirmed = 0;
        while (confirmed < count && simulated.Count < budget)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int round = Math.Min(Math.Max(count - confirmed, roundMinimum), budget - simulated.Count);
            var batch = ranked.Skip(simulated.Count).Take(round).ToArray();
            var absorption = simulate(batch.Select(i => Microstructure.FromPixels(drawn.Images[i], drawn.ImageSize)).ToArray());
            for (int k = 0; k < batch.Length; k++)
            {
                simulated.Add((batch[k], absorption[k]));
                if (Within(absorption[k])) confirmed++;
            }
            progress?.Report(simulated.Count);
        }

        var chosen = simulated.Where(s => Within(s.Absorption)).Take(count)
            .Concat(simulated.Where(s => !Within(s.Absorption)).OrderBy(s => RepStatistics.Rep(target, s.Absorption)).ThenBy(s => s.Draw))
            .Take(count).ToArray();
        return new RankedDesigns(target, drawn.InTrainingRange,
            chosen.Select(c => drawn.Images[c.Draw]).ToArray(),
            chosen.Select(c => drawn.PredictedAbsorption[c.Draw]).ToArray(),
            chosen.Select(c => c.Absorption).ToArray(),
            chosen.Select(c => Within(c.Absorption)).ToArray(),
            drawn.Images.Count, ranked.Length, simulated.Count, drawn.ImageSize);
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
