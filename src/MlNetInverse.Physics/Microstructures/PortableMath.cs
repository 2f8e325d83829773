namespace MlNetInverse.Physics.Microstructures;

/// <summary>
/// exp, log and the DFT twiddles built from IEEE-754 +, -, *, / only. <see cref="Math.Exp(double)"/> and friends call
/// the platform C library, whose last bit differs between glibc, MSVC and ARM; these give the same bits everywhere,
/// which is what lets a (parameters, seed) pair name one microstructure on every machine.
/// Accuracy is a few ulp, far more than a level-cut field needs.
/// </summary>
internal static class PortableMath
{
    // ln 2 split so that n * Ln2Hi is exact for |n| < 2^11 (Cody-Waite reduction).
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double Ln2 = 0.69314718055994530942;
    private const double Sqrt2 = 1.41421356237309504880;
    private const double HalfPi = 1.57079632679489661923;

    // Series coefficients, each a single correctly rounded IEEE division, so they are the same bits everywhere and
    // the hot loops multiply instead of divide.
    private static readonly double[] InverseFactorials = BuildInverseFactorials(17); // 1/k!, k = 0..17
    private static readonly double[] InverseOdd = BuildInverseOdd(20);                // 1/(2j+1), j = 0..19

    private static double[] BuildInverseFactorials(int order)
    {
        var c = new double[order + 1];
        c[0] = 1.0;
        for (int k = 1; k <= order; k++) c[k] = c[k - 1] / k;
        return c;
    }

    private static double[] BuildInverseOdd(int count)
    {
        var c = new double[count];
        for (int j = 0; j < count; j++) c[j] = 1.0 / (2 * j + 1);
        return c;
    }

    /// <summary>e^x. Returns 0 below -745 (the double underflow limit) and +inf above 709.8.</summary>
    public static double Exp(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x < -745.2) return 0.0;
        if (x > 709.8) return double.PositiveInfinity;
        double n = Math.Round(x / Ln2); // exact IEEE rounding, no libm
        double r = x - n * Ln2Hi - n * Ln2Lo; // |r| <= ln2/2
        // Taylor series with a fixed term count, Horner form: |r|^18/18! < 1e-22.
        var c = InverseFactorials;
        double sum = c[^1];
        for (int k = c.Length - 2; k >= 0; k--) sum = sum * r + c[k];
        return Math.ScaleB(sum, (int)n); // managed, exact power-of-two scaling
    }

    /// <summary>Natural logarithm of a finite positive x.</summary>
    public static double Log(double x)
    {
        if (!(x > 0) || double.IsInfinity(x)) throw new ArgumentOutOfRangeException(nameof(x), x, "Log needs a finite positive argument.");
        int exponent = 0;
        if (x < double.Epsilon * (1L << 54)) { x *= 18014398509481984.0; exponent -= 54; } // lift subnormals (2^54)
        long bits = BitConverter.DoubleToInt64Bits(x);
        exponent += (int)((bits >> 52) & 0x7FF) - 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L); // [1, 2)
        if (m > Sqrt2) { m *= 0.5; exponent++; }
        // ln m = 2 atanh(f), f = (m-1)/(m+1), |f| <= 0.172: f^2 <= 0.0295, 20 odd terms reach 1e-30.
        double f = (m - 1.0) / (m + 1.0);
        double f2 = f * f;
        var c = InverseOdd;
        double series = c[^1];
        for (int j = c.Length - 2; j >= 0; j--) series = series * f2 + c[j];
        return exponent * Ln2Hi + (exponent * Ln2Lo + 2.0 * f * series);
    }

    /// <summary>cos and sin of 2 pi j / n, exact at multiples of a quarter turn.</summary>
    public static (double Cos, double Sin) CosSinOfTurns(long j, int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "The number of steps per turn must be positive.");
        long step = ((j % n) + n) % n;
        // Reduce to a quarter turn with integer arithmetic so the angle in [0, pi/2) has no multiple-of-2pi error.
        long scaled = 4 * step;
        int quadrant = (int)(scaled / n);
        double theta = HalfPi * (scaled - (long)quadrant * n) / n;
        double t2 = theta * theta;
        // Taylor series to theta^27 / 27!: (pi/2)^28/28! < 1e-23.
        double cos = 1.0, sin = 1.0;
        for (int k = 26; k >= 2; k -= 2) cos = 1.0 - cos * t2 / (k * (k - 1));
        for (int k = 27; k >= 3; k -= 2) sin = 1.0 - sin * t2 / (k * (k - 1));
        sin *= theta;
        return quadrant switch
        {
            0 => (cos, sin),
            1 => (-sin, cos),
            2 => (-cos, -sin),
            _ => (sin, -cos),
        };
    }
}
