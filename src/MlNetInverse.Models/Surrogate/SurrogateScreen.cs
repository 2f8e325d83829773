using MlNetInverse.Physics.Microstructures;

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
        CheckKeep(keep, predictions.Count);
        return Enumerable.Range(0, predictions.Count)
            .OrderBy(i => Distance(predictions[i], target))
            .ThenBy(i => i)
            .Take(keep)
            .ToArray();
    }

    /// <summary>
    /// Indices of <paramref name="keep"/> candidates, closest first, chosen within strata of volume fraction: the candidates
    /// in order of <paramref name="volumeFractions"/> (ties by draw order) are cut into <paramref name="strata"/> runs of
    /// equal size, to a candidate (at most <paramref name="keep"/> runs), and each run gives its share of
    /// <paramref name="keep"/>, in proportion to its size, by <see cref="Closest(IReadOnlyList{float}, float, int)"/>. The kept designs then hold the draws' own spread of volume
    /// fractions; one ranking over all draws bends it towards whatever volume fraction the surrogate reads closest to the
    /// target (measured: 0.445 against the draws' 0.387 and the data's 0.394 at 0.65). One stratum is that one ranking.
    /// </summary>
    /// <exception cref="ArgumentException">Not one volume fraction per candidate, fewer than 1 stratum, or <paramref name="keep"/> out of range.</exception>
    public static int[] ClosestWithinVolumeStrata(IReadOnlyList<float> predictions, float target, int keep, IReadOnlyList<float> volumeFractions, int strata)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(volumeFractions);
        if (volumeFractions.Count != predictions.Count)
            throw new ArgumentException($"{volumeFractions.Count} volume fractions for {predictions.Count} candidates; give one per candidate.", nameof(volumeFractions));
        ArgumentOutOfRangeException.ThrowIfLessThan(strata, 1);
        CheckKeep(keep, predictions.Count);
        int n = predictions.Count, runs = Math.Min(strata, Math.Max(keep, 1));
        if (runs == 1) return Closest(predictions, target, keep);
        var byVolume = Enumerable.Range(0, n).OrderBy(i => volumeFractions[i]).ThenBy(i => i).ToArray();
        var kept = new List<int>(keep);
        for (int run = 0; run < runs; run++)
        {
            int first = (int)((long)run * n / runs), last = (int)((long)(run + 1) * n / runs);
            // In proportion to the run's size: floor(last k / n) - floor(first k / n) never exceeds last - first when k <= n.
            int share = (int)((long)last * keep / n - (long)first * keep / n);
            var members = byVolume[first..last];
            kept.AddRange(Closest(members.Select(i => predictions[i]).ToArray(), target, share).Select(c => members[c]));
        }
        return [.. kept.OrderBy(i => Distance(predictions[i], target)).ThenBy(i => i)];
    }

    /// <summary>
    /// Indices of <paramref name="keep"/> candidates drawn without replacement with weights exp(-d / tau), closest first:
    /// d = |predicted - target|, tau the d of the candidate at the <paramref name="softness"/> quantile (softness 0.1:
    /// the 10th percentile). Keeping the closest bends the kept designs towards whatever the surrogate reads best; drawing
    /// by weight keeps more of the draws' spread at some cost in closeness (measured on the main job's model, 90 of 360
    /// per target over 20 seeds: the morphology bar met at all five targets in 13 seeds against 8, surrogate mean REP
    /// 1.57 against 1.23 %). Keys ln(u) / w (Efraimidis-Spirakis) take one uniform u per candidate in draw order from a
    /// stream keyed by <paramref name="seed"/> and the target's bits, so a seed and target give the same choice on every
    /// path; ties by draw order, NaN predictions last. Softness 0 is <see cref="Closest(IReadOnlyList{float}, float, int)"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keep"/> out of range, or softness outside [0, 1).</exception>
    public static int[] Weighted(IReadOnlyList<float> predictions, float target, int keep, double softness, long seed)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        CheckSoftness(softness);
        CheckKeep(keep, predictions.Count);
        if (softness == 0 || keep == predictions.Count) return Closest(predictions, target, keep);
        int n = predictions.Count;
        var distances = new double[n];
        for (int i = 0; i < n; i++) distances[i] = Distance(predictions[i], target);
        var sorted = (double[])distances.Clone();
        Array.Sort(sorted);
        // A scale of 0 (many exact hits) would make every other weight 0: the smallest positive distance stands in.
        double tau = sorted[Math.Min(n - 1, (int)(softness * n))];
        if (!(tau > 0) || double.IsInfinity(tau)) tau = sorted.FirstOrDefault(d => d > 0 && !double.IsInfinity(d), 1e-12);
        var random = new SeededRandom(seed, SeededRandom.Purpose.SurrogateScreen, BitConverter.SingleToInt32Bits(target));
        var keys = new double[n];
        for (int i = 0; i < n; i++)
        {
            // u in (0, 1): half a step above the stream's [0, 1) value, so ln(u) stays finite. key = ln(u) / exp(-d / tau),
            // -infinity for NaN predictions and weights that underflow.
            double u = random.NextDouble() + 0.5 / (1UL << 53);
            keys[i] = Math.Log(u) * Math.Exp(distances[i] / tau);
        }
        return [.. Enumerable.Range(0, n).OrderByDescending(i => keys[i]).ThenBy(i => i).Take(keep)
            .OrderBy(i => distances[i]).ThenBy(i => i)];
    }

    /// <summary>
    /// The screen of a model on its decoded candidates: <see cref="Closest(IReadOnlyList{float}, float, int)"/> with one
    /// stratum, <see cref="Weighted"/> with a softness above 0, else <see cref="ClosestWithinVolumeStrata"/> on the volume
    /// fractions of <paramref name="images"/> (the candidates' S*S maps back to back), which are only computed then.
    /// </summary>
    /// <exception cref="ArgumentException">A softness outside [0, 1), or both strata and a softness: a screen is one or the other.</exception>
    public static int[] Choose(IReadOnlyList<float> predictions, float target, int keep, ReadOnlySpan<float> images, int pixels, int strata,
        double softness = 0, long seed = 0)
    {
        CheckSoftness(softness, strata);
        return softness > 0 ? Weighted(predictions, target, keep, softness, seed)
            : strata == 1 ? Closest(predictions, target, keep)
            : ClosestWithinVolumeStrata(predictions, target, keep, VolumeFractions(images, pixels), strata);
    }

    /// <summary>Refuses a softness outside [0, 1), and a softness above 0 together with <paramref name="strata"/> above 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The softness is outside [0, 1) or not a number.</exception>
    /// <exception cref="ArgumentException">Strata above 1 and a softness above 0: a screen is one or the other.</exception>
    public static void CheckSoftness(double softness, int strata = 1)
    {
        if (!(softness >= 0 && softness < 1))
            throw new ArgumentOutOfRangeException(nameof(softness), softness, "The screen's softness is a quantile of the candidates' distances in [0, 1) (0: keep the closest).");
        if (strata > 1 && softness > 0)
            throw new ArgumentException($"A screen keeps the closest within {strata} volume fraction strata or draws by weight (softness {softness}), not both; set one of them to its default (strata 1, softness 0).");
    }

    private static void CheckKeep(int keep, int candidates)
    {
        if (keep < 0 || keep > candidates)
            throw new ArgumentOutOfRangeException(nameof(keep), keep, $"Keep 0 to {candidates} of {candidates} candidates.");
    }

    /// <summary>Each candidate's volume fraction (<see cref="Microstructure.VolumeFractionOf"/> of its S*S pixels in <paramref name="images"/>).</summary>
    public static float[] VolumeFractions(ReadOnlySpan<float> images, int pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixels, 1);
        var fractions = new float[images.Length / pixels];
        for (int i = 0; i < fractions.Length; i++) fractions[i] = (float)Microstructure.VolumeFractionOf(images.Slice(i * pixels, pixels));
        return fractions;
    }

    private static float Distance(float prediction, float target) => float.IsNaN(prediction) ? float.PositiveInfinity : Math.Abs(prediction - target);
}
