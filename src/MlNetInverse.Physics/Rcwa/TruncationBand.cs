namespace MlNetInverse.Physics.Rcwa;

/// <summary>
/// The solver settings next to a judge's, equally defensible choices whose answers bound the judge's own truncation
/// error: the next two harmonic sets of the square truncation ((2M+3)^2 and (2M+5)^2 for nG = (2M+1)^2, e.g. 121 ->
/// 169 and 225) with the judge's factorisation, and the other factorisation (Li and Laurent swapped) at the judge's nG.
/// </summary>
public static class TruncationBand
{
    /// <summary>The three neighbouring settings of <paramref name="judge"/>, in that order.</summary>
    /// <exception cref="ArgumentException">The judge's harmonic count is not (2M+1)^2.</exception>
    public static IReadOnlyList<RcwaOptions> Neighbours(RcwaOptions judge)
    {
        ArgumentNullException.ThrowIfNull(judge);
        int order = judge.Order;
        var other = judge.Factorization == FourierFactorization.Li ? FourierFactorization.Laurent : FourierFactorization.Li;
        return
        [
            judge with { Harmonics = Square(order + 1) },
            judge with { Harmonics = Square(order + 2) },
            judge with { Factorization = other },
        ];
    }

    /// <summary>A setting in words, e.g. "Li, nG 169".</summary>
    public static string Describe(RcwaOptions options) => FormattableString.Invariant($"{options.Factorization}, nG {options.Harmonics}");

    private static int Square(int order) => (2 * order + 1) * (2 * order + 1);
}
