using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Workflows.Verification;

/// <summary>The RCWA absorption of a cell's first designs under one solver setting next to the judge's.</summary>
/// <param name="Harmonics">nG of the setting.</param>
/// <param name="Factorization">Fourier factorisation of the setting.</param>
/// <param name="Absorption">Absorption of each checked design, in the cell's design order.</param>
internal sealed record JudgeVariant(int Harmonics, FourierFactorization Factorization, double[] Absorption)
{
    /// <summary>The setting in words, e.g. "Li, nG 169".</summary>
    public string Label => TruncationBand.Describe(new RcwaOptions { Harmonics = Harmonics, Factorization = Factorization });
}
