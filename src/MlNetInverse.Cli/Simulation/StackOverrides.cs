using System.Numerics;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Cli.Simulation;

/// <summary>
/// The stack settings given explicitly on the command line; null means "not given". Applied on top of a base stack
/// (the --stack file, or <see cref="ReferenceStructure"/>): a given value replaces the base's, everything else is kept
/// (layers above/below, tabulated materials that are not overridden, the stack's name).
/// </summary>
internal sealed record StackOverrides
{
    /// <summary>Lattice period in nm.</summary>
    public double? PeriodNm { get; init; }

    /// <summary>Patterned-layer thickness in nm.</summary>
    public double? ThicknessNm { get; init; }

    /// <summary>Permittivity of material A (pixels 1).</summary>
    public Complex? EpsA { get; init; }

    /// <summary>Permittivity of material B (pixels 0).</summary>
    public Complex? EpsB { get; init; }

    /// <summary>Permittivity of the superstrate.</summary>
    public Complex? EpsSuperstrate { get; init; }

    /// <summary>Permittivity of the substrate.</summary>
    public Complex? EpsSubstrate { get; init; }

    /// <summary>Wavelengths in nm.</summary>
    public IReadOnlyList<double>? WavelengthsNm { get; init; }

    /// <summary>Number of harmonics, (2M+1)^2.</summary>
    public int? Harmonics { get; init; }

    /// <summary>Fourier factorization of the patterned layer.</summary>
    public FourierFactorization? Factorization { get; init; }

    /// <summary>Returns <paramref name="stack"/> with every given value replaced.</summary>
    public OpticalStack ApplyTo(OpticalStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return stack with
        {
            PeriodNm = PeriodNm ?? stack.PeriodNm,
            Superstrate = Material(EpsSuperstrate, "eps-superstrate") ?? stack.Superstrate,
            Patterned = new PatternedLayer(
                Material(EpsA, "eps-a") ?? stack.Patterned.MaterialA,
                Material(EpsB, "eps-b") ?? stack.Patterned.MaterialB,
                ThicknessNm ?? stack.Patterned.ThicknessNm),
            Substrate = Material(EpsSubstrate, "eps-substrate") ?? stack.Substrate,
            WavelengthsNm = WavelengthsNm ?? stack.WavelengthsNm,
            Solver = stack.Solver with
            {
                Harmonics = Harmonics ?? stack.Solver.Harmonics,
                Factorization = Factorization ?? stack.Solver.Factorization,
            },
        };
    }

    private static Material? Material(Complex? permittivity, string flag) =>
        permittivity is { } eps ? ReferenceStructure.NamedConstant(flag, eps) : null;
}
