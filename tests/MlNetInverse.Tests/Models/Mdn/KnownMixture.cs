using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Randomness;

namespace MlNetInverse.Tests.Models.Mdn;

/// <summary>
/// A known absorption-conditioned mixture over a 2-D latent: absorption a ~ U(0, 1); with weight 0.55 + 0.3 a the
/// latent is N((1 + a, a), 0.2^2 I) (the "upper" mode), otherwise N((-(1 + a), 1 - a), 0.3^2 I) (the "lower" mode).
/// The modes are far apart (at least 2 along dimension 0), so a sample's mode is the sign of its dimension 0.
/// </summary>
internal static class KnownMixture
{
    public const int LatentDimension = 2;
    public const double UpperSigma = 0.2;
    public const double LowerSigma = 0.3;

    public static double UpperWeight(double a) => 0.55 + 0.3 * a;

    public static (double X, double Y) UpperMean(double a) => (1 + a, a);

    public static (double X, double Y) LowerMean(double a) => (-(1 + a), 1 - a);

    /// <summary>Mean and variance of the mixture's dimension 0 at <paramref name="a"/>.</summary>
    public static (double Mean, double Variance) Dimension0(double a)
    {
        double w = UpperWeight(a), up = UpperMean(a).X, low = LowerMean(a).X;
        double mean = w * up + (1 - w) * low;
        double second = w * (up * up + UpperSigma * UpperSigma) + (1 - w) * (low * low + LowerSigma * LowerSigma);
        return (mean, second - mean * mean);
    }

    /// <summary>log p(latent | a) of the true mixture (nats).</summary>
    public static double LogDensity(double a, double x, double y)
    {
        static double Gaussian(double x, double y, (double X, double Y) mean, double sigma) =>
            Math.Exp(-0.5 * (Math.Pow((x - mean.X) / sigma, 2) + Math.Pow((y - mean.Y) / sigma, 2))) / (2 * Math.PI * sigma * sigma);
        double w = UpperWeight(a);
        return Math.Log(w * Gaussian(x, y, UpperMean(a), UpperSigma) + (1 - w) * Gaussian(x, y, LowerMean(a), LowerSigma));
    }

    /// <summary><paramref name="count"/> seeded (absorption, latent) pairs; latents target-major (2 values each).</summary>
    public static (float[] Absorption, float[] Latents) Pairs(int count, long seed)
    {
        var random = new SeededRandom(seed, 77);
        var absorption = new float[count];
        var latents = new float[count * LatentDimension];
        Span<float> normals = stackalloc float[2];
        for (int i = 0; i < count; i++)
        {
            double a = random.NextDouble();
            bool upper = random.NextDouble() < UpperWeight(a);
            var (mx, my) = upper ? UpperMean(a) : LowerMean(a);
            double sigma = upper ? UpperSigma : LowerSigma;
            Normal(random, normals);
            absorption[i] = (float)a;
            latents[2 * i] = (float)(mx + sigma * normals[0]);
            latents[2 * i + 1] = (float)(my + sigma * normals[1]);
        }
        return (absorption, latents);
    }

    private static void Normal(SeededRandom random, Span<float> values)
    {
        double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
        double angle = 2 * Math.PI * random.NextDouble();
        values[0] = (float)(radius * Math.Cos(angle));
        values[1] = (float)(radius * Math.Sin(angle));
    }
}
