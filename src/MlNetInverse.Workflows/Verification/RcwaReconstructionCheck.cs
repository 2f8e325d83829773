using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Workflows.Verification;

/// <summary>
/// Judges reconstructions by physics: RCWA absorption of N held-out originals and of their reconstructions binarized
/// at 0.5 (as fabricated), with the dataset's own optical stack, and the relative error percentage
/// REP = |A(reconstruction) - A(original)| / A(original) * 100 per pair.
/// </summary>
/// <param name="Count">Pairs simulated.</param>
/// <param name="MeanRep">Mean REP (%).</param>
/// <param name="MinRep">Smallest REP (%).</param>
/// <param name="MaxRep">Largest REP (%).</param>
/// <param name="MaxLabelDifference">
/// Largest |A(original) - dataset label|: near zero when the stack in the file is the one that made the labels.
/// </param>
/// <param name="Seconds">Wall-clock time of the simulations (s).</param>
public sealed record RcwaReconstructionCheck(int Count, double MeanRep, double MinRep, double MaxRep, double MaxLabelDifference, double Seconds)
{
    /// <summary>Simulates originals and binarized reconstructions with <paramref name="threads"/> workers.</summary>
    /// <exception cref="InvalidOperationException">An original has zero absorption (REP undefined).</exception>
    public static RcwaReconstructionCheck Run(
        OpticalStack stack, IReadOnlyList<Microstructure> originals, IReadOnlyList<double> labels, IReadOnlyList<float[]> reconstructions,
        int threads, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        int n = originals.Count;
        int size = originals[0].Size;
        var patterns = originals.Concat(reconstructions.Take(n).Select(r => Microstructure.FromPixels(r, size).Binarize())).ToArray();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var solver = new RcwaSolver(stack);
        var responses = solver.SimulateMany(patterns, threads, progress, cancellationToken);
        var reps = new double[n];
        double maxLabelDifference = 0;
        for (int i = 0; i < n; i++)
        {
            double original = responses[i].Absorption, reconstructed = responses[n + i].Absorption;
            if (!(original > 0))
                throw new InvalidOperationException($"held-out original {i} has RCWA absorption {original}; REP is undefined for zero absorption.");
            reps[i] = Math.Abs(reconstructed - original) / original * 100;
            maxLabelDifference = Math.Max(maxLabelDifference, Math.Abs(original - labels[i]));
        }
        return new RcwaReconstructionCheck(n, reps.Average(), reps.Min(), reps.Max(), maxLabelDifference, watch.Elapsed.TotalSeconds);
    }
}
