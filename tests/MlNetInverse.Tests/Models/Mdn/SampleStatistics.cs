namespace MlNetInverse.Tests.Models.Mdn;

/// <summary>
/// Statistics of the draws of one target from a two-mode latent distribution whose modes are told apart by the sign of
/// dimension 0, and the check that they match the truth (used for the sampler, the pitfall samplers and trained MDNs).
/// </summary>
internal sealed record SampleStatistics(
    int Count, double UpperFraction, double Mean0, double Variance0, double UpperSpread0, double LowerSpread0, double UpperMean1, double LowerMean1)
{
    /// <summary>Statistics of draw block <paramref name="target"/> of <paramref name="samples"/> ([B, N, L] flattened).</summary>
    public static SampleStatistics Of(float[] samples, int target, int perTarget, int latentDimension)
    {
        var upper = new List<(double X, double Y)>();
        var lower = new List<(double X, double Y)>();
        for (int n = 0; n < perTarget; n++)
        {
            long at = ((long)target * perTarget + n) * latentDimension;
            (double, double) point = (samples[at], latentDimension > 1 ? samples[at + 1] : 0);
            (samples[at] > 0 ? upper : lower).Add(point);
        }
        var all = upper.Concat(lower).Select(p => p.X).ToArray();
        double mean = all.Average();
        return new SampleStatistics(
            perTarget,
            upper.Count / (double)perTarget,
            mean,
            all.Average(x => (x - mean) * (x - mean)),
            Spread(upper.Select(p => p.X)),
            Spread(lower.Select(p => p.X)),
            upper.Count == 0 ? double.NaN : upper.Average(p => p.Y),
            lower.Count == 0 ? double.NaN : lower.Average(p => p.Y));
    }

    /// <summary>
    /// What differs from the truth beyond the tolerances: the fraction of draws in the upper mode, the standard
    /// deviation of dimension 0 inside each mode (the sigma of that mode), and the overall mean of dimension 0.
    /// Empty when all match.
    /// </summary>
    public List<string> Problems(double upperWeight, double upperSigma, double lowerSigma, double mean0, double weightTolerance, double sigmaTolerance, double meanTolerance)
    {
        var problems = new List<string>();
        if (Math.Abs(UpperFraction - upperWeight) > weightTolerance) problems.Add($"upper-mode fraction {UpperFraction:F3}, expected {upperWeight:F3}");
        if (!(Math.Abs(UpperSpread0 - upperSigma) <= sigmaTolerance)) problems.Add($"upper-mode spread {UpperSpread0:F3}, expected {upperSigma:F3}");
        if (!(Math.Abs(LowerSpread0 - lowerSigma) <= sigmaTolerance)) problems.Add($"lower-mode spread {LowerSpread0:F3}, expected {lowerSigma:F3}");
        if (Math.Abs(Mean0 - mean0) > meanTolerance) problems.Add($"mean {Mean0:F3}, expected {mean0:F3}");
        return problems;
    }

    private static double Spread(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length < 2) return double.NaN;
        double mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
    }
}
