using System.Numerics;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Cli.Simulation;

/// <summary>
/// The project's reference structure, used by <c>simulate</c> without --stack and by <c>bench rcwa</c>: a 100 nm film
/// patterned with eps 12+0.5i in eps 1, period 350 nm, in air (eps 1) on glass (eps 2.25).
/// </summary>
internal static class ReferenceStructure
{
    /// <summary>Lattice period, 350 nm.</summary>
    public const double PeriodNm = 350;

    /// <summary>Patterned-layer thickness, 100 nm.</summary>
    public const double ThicknessNm = 100;

    /// <summary>Permittivity of material A (pixels 1), 12+0.5i.</summary>
    public static readonly Complex EpsA = new(12, 0.5);

    /// <summary>Permittivity of material B (pixels 0), 1.</summary>
    public static readonly Complex EpsB = 1;

    /// <summary>Permittivity of the superstrate, 1.</summary>
    public static readonly Complex EpsSuperstrate = 1;

    /// <summary>Permittivity of the substrate, 2.25.</summary>
    public static readonly Complex EpsSubstrate = 2.25;

    /// <summary>Wavelengths, 400, 500, 600 and 700 nm.</summary>
    public static readonly IReadOnlyList<double> WavelengthsNm = [400, 500, 600, 700];

    /// <summary>The reference stack with the given wavelengths (default <see cref="WavelengthsNm"/>) and solver settings (default 121 harmonics, Laurent).</summary>
    public static OpticalStack Create(IReadOnlyList<double>? wavelengthsNm = null, RcwaOptions? solver = null) => new()
    {
        Name = "reference",
        PeriodNm = PeriodNm,
        Superstrate = NamedConstant("eps-superstrate", EpsSuperstrate),
        Patterned = new PatternedLayer(NamedConstant("eps-a", EpsA), NamedConstant("eps-b", EpsB), ThicknessNm),
        Substrate = NamedConstant("eps-substrate", EpsSubstrate),
        WavelengthsNm = wavelengthsNm ?? WavelengthsNm,
        Solver = solver ?? new RcwaOptions(),
    };

    /// <summary>
    /// A constant material named after the flag and its value (e.g. "eps-a=12+0.5i"), so two materials with the
    /// same name always have the same permittivity when the stack is written back to JSON.
    /// </summary>
    public static Material NamedConstant(string flag, Complex permittivity) =>
        Material.Constant($"{flag}={ComplexText.Format(permittivity)}", permittivity);
}
