namespace MlNetInverse.Physics.Randomness;

/// <summary>
/// Draws from a categorical distribution given by log weights (e.g. a mixture's components): the weights are
/// soft-maxed and accumulated in double, then a uniform picks the first entry whose cumulative weight exceeds it. One
/// copy for the TorchSharp sampler and the engine-free batch sampler, so both pick the same components bit for bit.
/// </summary>
internal static class Categorical
{
    /// <summary>Cumulative weights of <paramref name="logWeights"/>, renormalised in double so the last entry is exactly 1.</summary>
    public static void Cumulative(ReadOnlySpan<double> logWeights, Span<double> cumulative)
    {
        double max = double.NegativeInfinity;
        foreach (double w in logWeights) max = Math.Max(max, w);
        double total = 0;
        for (int j = 0; j < logWeights.Length; j++)
        {
            total += Math.Exp(logWeights[j] - max);
            cumulative[j] = total;
        }
        for (int j = 0; j < cumulative.Length; j++) cumulative[j] /= total;
        cumulative[^1] = 1.0;
    }

    /// <summary>
    /// <see cref="Cumulative(ReadOnlySpan{double}, Span{double})"/> of float32 log weights, widened to double first
    /// (exactly), so the result equals that of the same weights held as doubles.
    /// </summary>
    public static void Cumulative(ReadOnlySpan<float> logWeights, Span<double> cumulative)
    {
        Span<double> wide = logWeights.Length <= 256 ? stackalloc double[logWeights.Length] : new double[logWeights.Length];
        for (int j = 0; j < logWeights.Length; j++) wide[j] = logWeights[j];
        Cumulative(wide, cumulative);
    }

    /// <summary>The first entry whose cumulative weight exceeds <paramref name="u"/> in [0, 1) (entries of weight 0 are never picked).</summary>
    public static int Pick(ReadOnlySpan<double> cumulative, double u)
    {
        int low = 0, high = cumulative.Length - 1;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (cumulative[middle] > u) high = middle;
            else low = middle + 1;
        }
        return low;
    }
}
