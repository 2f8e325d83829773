namespace MlNetInverse.Models.Surrogate;

/// <summary>
/// The surrogate screen's choice among generated candidates: the ones whose predicted absorption is closest to the
/// target, |predicted - target| ascending in float32, ties by draw order, NaN predictions last. The model zip's screen
/// (the ML layer's sample selection) and the learning-free control's screen both choose this way, so a comparison of
/// the two differs only in what was drawn.
/// </summary>
public static class SurrogateScreen
{
    /// <summary>Indices of the <paramref name="keep"/> candidates closest to <paramref name="target"/>, closest first.</summary>
    /// <param name="predictions">The surrogate's absorption of each candidate, in draw order.</param>
    /// <param name="target">The target absorption.</param>
    /// <param name="keep">Candidates to keep (at most all of them).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keep"/> below 0 or above the candidates.</exception>
    public static int[] Closest(IReadOnlyList<float> predictions, float target, int keep)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        if (keep < 0 || keep > predictions.Count)
            throw new ArgumentOutOfRangeException(nameof(keep), keep, $"Keep 0 to {predictions.Count} of {predictions.Count} candidates.");
        return Enumerable.Range(0, predictions.Count)
            .OrderBy(i => float.IsNaN(predictions[i]) ? float.PositiveInfinity : Math.Abs(predictions[i] - target))
            .ThenBy(i => i)
            .Take(keep)
            .ToArray();
    }
}
