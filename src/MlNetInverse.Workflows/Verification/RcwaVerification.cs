using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Rcwa;
using MlNetInverse.Workflows.Generation;

namespace MlNetInverse.Workflows.Verification;

/// <summary>
/// The physics judgement of generated designs: every binarized map is simulated with RCWA on the stack that made the
/// training labels, and REP = |target - A_RCWA| / target * 100 is computed per design.
/// </summary>
/// <param name="Target">The target absorption.</param>
/// <param name="Absorption">RCWA absorption of each design, in the order generated.</param>
public sealed record RcwaVerification(double Target, double[] Absorption)
{
    /// <summary>REP (%) of each design.</summary>
    public double[] Reps => Absorption.Select(a => RepStatistics.Rep(Target, a)).ToArray();

    /// <summary>Min, mean and standard deviation of the REP.</summary>
    public RepStatistics Statistics => RepStatistics.Of(Reps);

    /// <summary>Simulates every design of every target with <paramref name="threads"/> workers (results do not depend on the count).</summary>
    public static RcwaVerification[] Run(OpticalStack stack, IReadOnlyList<GeneratedTarget> targets, int threads,
        IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var patterns = targets.SelectMany(t => t.Maps().Select(map => map.Binarize())).ToArray();
        using var solver = new RcwaSolver(stack);
        var responses = solver.SimulateMany(patterns, threads, progress, cancellationToken);
        var results = new RcwaVerification[targets.Count];
        int next = 0;
        for (int i = 0; i < targets.Count; i++)
        {
            int count = targets[i].Images.Count;
            results[i] = new RcwaVerification(targets[i].Target, responses.Skip(next).Take(count).Select(r => r.Absorption).ToArray());
            next += count;
        }
        return results;
    }
}
