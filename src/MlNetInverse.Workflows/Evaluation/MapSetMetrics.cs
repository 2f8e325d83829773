namespace MlNetInverse.Workflows.Evaluation;

/// <summary>
/// Diversity and novelty of a set of maps. Diversity is the mean pixel distance over all pairs (the fraction of pixels
/// that differ; two independent maps of volume fraction v differ in about 2v(1-v) of their pixels). Novelty is each
/// map's distance to its nearest training map; a map closer than <see cref="CopyThreshold"/> is flagged as a copy.
/// </summary>
internal static class MapSetMetrics
{
    /// <summary>
    /// Distance below which a map counts as a copy of a training map (fraction of pixels): 0.02, i.e. at most 2 % of
    /// the pixels (82 of 4,096) differ. An exact copy is 0; two independent maps of the shipped data differ in 20-50 %
    /// of their pixels, and a VQ-VAE reconstruction of a training map (held-out pixel accuracy about 0.87) is about
    /// 0.13 away, so 0.02 flags only copies up to a few stray pixels. Translated copies are not searched.
    /// </summary>
    public const double CopyThreshold = 0.02;

    /// <summary>Mean pixel distance over all pairs; NaN for fewer than two maps.</summary>
    public static double MeanPairwiseDistance(IReadOnlyList<BinaryMap> maps)
    {
        if (maps.Count < 2) return double.NaN;
        double sum = 0;
        long pairs = 0;
        for (int i = 0; i < maps.Count; i++)
            for (int j = i + 1; j < maps.Count; j++)
            {
                sum += maps[i].DistanceTo(maps[j]);
                pairs++;
            }
        return sum / pairs;
    }

    /// <summary>Each map's distance to its nearest map in <paramref name="training"/> (empty training: NaN).</summary>
    public static double[] NearestDistances(IReadOnlyList<BinaryMap> maps, IReadOnlyList<BinaryMap> training)
    {
        var nearest = new double[maps.Count];
        Parallel.For(0, maps.Count, i =>
        {
            double best = double.NaN;
            foreach (var t in training)
            {
                double d = maps[i].DistanceTo(t);
                if (!(d >= best)) best = d;
                if (best == 0) break;
            }
            nearest[i] = best;
        });
        return nearest;
    }

    /// <summary>How many of <paramref name="nearest"/> fall below <see cref="CopyThreshold"/>.</summary>
    public static int Copies(IEnumerable<double> nearest) => nearest.Count(d => d < CopyThreshold);
}
