using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;

namespace MlNetInverse.Physics.Rcwa;

/// <summary>
/// How much a stack's absorption label moves with the truncation and the factorization: every pattern is simulated
/// at every harmonic count with Laurent's and Li's rule. Used to choose the solver configuration stored with a dataset.
/// </summary>
public static class ConvergenceStudy
{
    /// <summary>Runs the study; <paramref name="harmonics"/> in increasing order, each (2M+1)^2.</summary>
    public static ConvergenceReport Run(OpticalStack stack, IReadOnlyList<Microstructure> patterns, IReadOnlyList<int> harmonics,
        int threads = 1, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        if (patterns.Count == 0) throw new ArgumentException("The convergence study needs at least one pattern.", nameof(patterns));
        if (harmonics.Count < 2) throw new ArgumentException("The convergence study needs at least two harmonic counts.", nameof(harmonics));
        for (int i = 0; i < harmonics.Count; i++)
        {
            RcwaOptions.HarmonicOrder(harmonics[i]);
            if (i > 0 && harmonics[i] <= harmonics[i - 1])
                throw new ArgumentException($"Harmonic counts must increase; got {harmonics[i - 1]} then {harmonics[i]}.", nameof(harmonics));
        }
        var runs = new List<ConvergenceRun>();
        foreach (var factorization in new[] { FourierFactorization.Laurent, FourierFactorization.Li })
        {
            foreach (int nG in harmonics)
            {
                var started = DateTime.UtcNow;
                using var solver = new RcwaSolver(stack with { Solver = new RcwaOptions { Harmonics = nG, Factorization = factorization } });
                var labels = solver.SimulateMany(patterns, threads, cancellationToken: cancellationToken).Select(r => r.Absorption).ToArray();
                double seconds = (DateTime.UtcNow - started).TotalSeconds;
                runs.Add(new ConvergenceRun(factorization, nG, labels, seconds / patterns.Count));
                progress?.Report($"{factorization} nG={nG}: mean label {labels.Average():F4}, {seconds / patterns.Count:F2} s per pattern");
            }
        }
        return new ConvergenceReport(stack, patterns.Count, harmonics.ToArray(), runs);
    }
}
