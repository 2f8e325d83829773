namespace MlNetInverse.Physics.Rcwa;

/// <summary>Numerical settings of the RCWA solver.</summary>
public sealed record RcwaOptions
{
    /// <summary>Number of plane-wave harmonics, square truncation (2M+1)^2 with |m|,|n| &lt;= M. Default 121 (M = 5).</summary>
    public int Harmonics { get; init; } = 121;

    /// <summary>Fourier factorization of the patterned layer. Default <see cref="FourierFactorization.Laurent"/>.</summary>
    public FourierFactorization Factorization { get; init; } = FourierFactorization.Laurent;

    /// <summary>The truncation order M of <see cref="Harmonics"/> = (2M+1)^2.</summary>
    public int Order => HarmonicOrder(Harmonics);

    /// <summary>Returns M for nG = (2M+1)^2; throws naming the value when nG is not of that form.</summary>
    public static int HarmonicOrder(int harmonics)
    {
        int side = (int)Math.Round(Math.Sqrt(Math.Max(harmonics, 0)));
        if (harmonics < 1 || side * side != harmonics || side % 2 == 0)
            throw new ArgumentException($"Harmonics must be (2M+1)^2 (1, 9, 25, 49, 81, 121, 169, 225, ...); got {harmonics}.");
        return (side - 1) / 2;
    }

    /// <summary>Throws when a setting is invalid.</summary>
    public void Validate() => _ = Order;
}
