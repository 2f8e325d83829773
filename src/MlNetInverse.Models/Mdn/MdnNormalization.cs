using System.Globalization;

namespace MlNetInverse.Models.Mdn;

/// <summary>
/// The scales a <see cref="MixtureDensityNetwork"/> works in, fitted on the training split and saved with the weights:
/// absorption is standardized before the network sees it, and each latent dimension is standardized so the Gaussians
/// live in a space where 1 means "one training standard deviation" whatever the latent's raw scale.
/// </summary>
/// <param name="AbsorptionMean">Mean training absorption (absorption units).</param>
/// <param name="AbsorptionStandardDeviation">Standard deviation of the training absorption (absorption units), &gt; 0.</param>
/// <param name="LatentMean">Per-dimension mean of the training latents (L values, raw latent units).</param>
/// <param name="LatentStandardDeviation">Per-dimension standard deviation of the training latents (L values, raw latent units), all &gt; 0.</param>
/// <param name="AbsorptionMin">Smallest training absorption: targets below it are extrapolation.</param>
/// <param name="AbsorptionMax">Largest training absorption: targets above it are extrapolation.</param>
public sealed record MdnNormalization(
    double AbsorptionMean,
    double AbsorptionStandardDeviation,
    IReadOnlyList<float> LatentMean,
    IReadOnlyList<float> LatentStandardDeviation,
    double AbsorptionMin,
    double AbsorptionMax)
{
    /// <summary>No rescaling (means 0, deviations 1) and the given absorption range; for hand-made models and tests.</summary>
    public static MdnNormalization Identity(int latentDimension, double absorptionMin = double.NegativeInfinity, double absorptionMax = double.PositiveInfinity)
    {
        if (latentDimension < 1) throw new ArgumentOutOfRangeException(nameof(latentDimension), latentDimension, "The latent dimension must be at least 1.");
        return new MdnNormalization(0, 1, new float[latentDimension], Enumerable.Repeat(1f, latentDimension).ToArray(), absorptionMin, absorptionMax);
    }

    /// <summary>
    /// Fits the scales on the targets listed in <paramref name="rows"/> (the training split): means and population
    /// standard deviations in double precision; a constant quantity gets deviation 1 (any scale then fits it).
    /// </summary>
    /// <param name="absorption">N absorption values.</param>
    /// <param name="latents">N * L latent values, target-major (target i's vector at i * L).</param>
    /// <param name="latentDimension">L.</param>
    /// <param name="rows">Indices of the targets to fit on (non-empty).</param>
    /// <exception cref="ArgumentException">Empty rows or lengths that do not match.</exception>
    public static MdnNormalization Fit(float[] absorption, float[] latents, int latentDimension, IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(absorption);
        ArgumentNullException.ThrowIfNull(latents);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("Cannot fit the normalisation on zero targets.", nameof(rows));
        if (latentDimension < 1 || latents.Length != (long)absorption.Length * latentDimension)
            throw new ArgumentException($"latents must hold {absorption.Length} x {latentDimension} values; got {latents.Length}.", nameof(latents));

        double mean = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (int i in rows)
        {
            mean += absorption[i];
            min = Math.Min(min, absorption[i]);
            max = Math.Max(max, absorption[i]);
        }
        mean /= rows.Count;
        double variance = 0;
        foreach (int i in rows) variance += (absorption[i] - mean) * (absorption[i] - mean);
        variance /= rows.Count;

        var sums = new double[latentDimension];
        foreach (int i in rows)
            for (int l = 0; l < latentDimension; l++) sums[l] += latents[(long)i * latentDimension + l];
        var latentMean = new float[latentDimension];
        var squares = new double[latentDimension];
        for (int l = 0; l < latentDimension; l++) sums[l] /= rows.Count;
        foreach (int i in rows)
        {
            for (int l = 0; l < latentDimension; l++)
            {
                double d = latents[(long)i * latentDimension + l] - sums[l];
                squares[l] += d * d;
            }
        }
        var latentDeviation = new float[latentDimension];
        for (int l = 0; l < latentDimension; l++)
        {
            latentMean[l] = (float)sums[l];
            latentDeviation[l] = Positive(Math.Sqrt(squares[l] / rows.Count));
        }
        return new MdnNormalization(mean, Positive(Math.Sqrt(variance)), latentMean, latentDeviation, min, max);
    }

    /// <summary>Checks the values a model can use.</summary>
    /// <exception cref="ArgumentException">Lengths differ from <paramref name="latentDimension"/>, or a value is not finite / not positive.</exception>
    public void Validate(int latentDimension)
    {
        ArgumentNullException.ThrowIfNull(LatentMean, nameof(LatentMean));
        ArgumentNullException.ThrowIfNull(LatentStandardDeviation, nameof(LatentStandardDeviation));
        if (!double.IsFinite(AbsorptionMean)) throw Bad(nameof(AbsorptionMean), AbsorptionMean, "finite");
        if (!(AbsorptionStandardDeviation > 0 && double.IsFinite(AbsorptionStandardDeviation)))
            throw Bad(nameof(AbsorptionStandardDeviation), AbsorptionStandardDeviation, "finite and > 0");
        if (LatentMean.Count != latentDimension) throw Bad(nameof(LatentMean), $"{LatentMean.Count} values", $"{latentDimension} values (the latent dimension)");
        if (LatentStandardDeviation.Count != latentDimension)
            throw Bad(nameof(LatentStandardDeviation), $"{LatentStandardDeviation.Count} values", $"{latentDimension} values (the latent dimension)");
        for (int l = 0; l < latentDimension; l++)
        {
            if (!float.IsFinite(LatentMean[l])) throw Bad($"{nameof(LatentMean)}[{l}]", LatentMean[l], "finite");
            if (!(LatentStandardDeviation[l] > 0 && float.IsFinite(LatentStandardDeviation[l])))
                throw Bad($"{nameof(LatentStandardDeviation)}[{l}]", LatentStandardDeviation[l], "finite and > 0");
        }
        if (double.IsNaN(AbsorptionMin) || double.IsNaN(AbsorptionMax) || AbsorptionMin > AbsorptionMax)
            throw Bad("absorption range", $"[{AbsorptionMin}, {AbsorptionMax}]", "an interval with min <= max");
    }

    /// <summary>A usable deviation: a constant (or numerically constant) quantity gets 1.</summary>
    private static float Positive(double deviation) => deviation > 1e-12 && double.IsFinite(deviation) ? (float)deviation : 1f;

    private static ArgumentException Bad(string name, object value, string expected) =>
        new($"MdnNormalization.{name} must be {expected}; got {Convert.ToString(value, CultureInfo.InvariantCulture)}.", name);
}
