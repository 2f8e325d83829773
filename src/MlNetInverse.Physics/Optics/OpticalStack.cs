using MlNetInverse.Physics.Rcwa;

namespace MlNetInverse.Physics.Optics;

/// <summary>
/// A periodic thin-film stack lit at normal incidence from the superstrate: superstrate / layers above /
/// patterned layer / layers below / substrate, with a square lattice of period <see cref="PeriodNm"/>. It also carries
/// the wavelengths and the solver settings, because labels and every later judgement must use the same ones.
/// </summary>
public sealed record OpticalStack
{
    /// <summary>Lattice period in nm (square lattice).</summary>
    public required double PeriodNm { get; init; }

    /// <summary>Semi-infinite incidence medium (lossless).</summary>
    public required Material Superstrate { get; init; }

    /// <summary>Uniform films between the superstrate and the patterned layer, top first.</summary>
    public IReadOnlyList<UniformLayer> LayersAbove { get; init; } = Array.Empty<UniformLayer>();

    /// <summary>The microstructure-patterned film.</summary>
    public required PatternedLayer Patterned { get; init; }

    /// <summary>Uniform films between the patterned layer and the substrate, top first.</summary>
    public IReadOnlyList<UniformLayer> LayersBelow { get; init; } = Array.Empty<UniformLayer>();

    /// <summary>Semi-infinite exit medium (lossless).</summary>
    public required Material Substrate { get; init; }

    /// <summary>Vacuum wavelengths in nm at which the property is evaluated.</summary>
    public required IReadOnlyList<double> WavelengthsNm { get; init; }

    /// <summary>RCWA settings used for this stack.</summary>
    public RcwaOptions Solver { get; init; } = new();

    /// <summary>Optional human-readable name.</summary>
    public string Name { get; init; } = "custom";

    /// <summary>Throws <see cref="ArgumentException"/> with a message naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!double.IsFinite(PeriodNm) || PeriodNm <= 0) throw new ArgumentException($"Period must be a positive number of nm; got {PeriodNm}.");
        CheckThickness("patterned layer", Patterned.ThicknessNm);
        for (int i = 0; i < LayersAbove.Count; i++) CheckThickness($"layer above #{i + 1} ({LayersAbove[i].Material.Name})", LayersAbove[i].ThicknessNm);
        for (int i = 0; i < LayersBelow.Count; i++) CheckThickness($"layer below #{i + 1} ({LayersBelow[i].Material.Name})", LayersBelow[i].ThicknessNm);
        if (WavelengthsNm.Count == 0) throw new ArgumentException("At least one wavelength is needed.");
        // The property is the mean over the wavelengths: one given twice would count twice.
        if (WavelengthsNm.GroupBy(wl => wl).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"Wavelengths must be distinct; {twice.Key} nm is given {twice.Count()} times (it would count that often in the mean absorption).");
        foreach (var wl in WavelengthsNm)
        {
            if (!double.IsFinite(wl) || wl <= 0) throw new ArgumentException($"Wavelengths must be positive numbers of nm; got {wl}.");
            CheckLossless(Superstrate, "superstrate", wl);
            CheckLossless(Substrate, "substrate", wl);
            foreach (var material in new[] { Patterned.MaterialA, Patterned.MaterialB }.Concat(LayersAbove.Select(l => l.Material)).Concat(LayersBelow.Select(l => l.Material)))
            {
                var eps = material.Permittivity(wl);
                if (!double.IsFinite(eps.Real) || !double.IsFinite(eps.Imaginary))
                    throw new ArgumentException($"Material '{material.Name}' has a non-finite permittivity at {wl} nm.");
            }
            foreach (var material in new[] { Patterned.MaterialA, Patterned.MaterialB })
                if (Solver.Factorization == FourierFactorization.Li && material.Permittivity(wl) == System.Numerics.Complex.Zero)
                    throw new ArgumentException($"Material '{material.Name}' of the patterned layer has eps = 0 at {wl} nm; Li's factorization divides by the permittivity. Use the Laurent factorization or a nonzero eps.");
        }
        Solver.Validate();
    }

    /// <summary>
    /// True when a material of the stack amplifies light (Im eps &lt; 0, with this project's e^{-iwt} loss convention)
    /// at some wavelength: then absorption can be negative and R + T can exceed 1 legitimately.
    /// </summary>
    public bool HasGainMedium => WavelengthsNm.Any(wl =>
        new[] { Patterned.MaterialA, Patterned.MaterialB }.Concat(LayersAbove.Select(l => l.Material)).Concat(LayersBelow.Select(l => l.Material))
            .Any(m => m.Permittivity(wl).Imaginary < 0));

    private static void CheckThickness(string what, double thicknessNm)
    {
        if (!double.IsFinite(thicknessNm) || thicknessNm < 0)
            throw new ArgumentException($"Thickness of the {what} must be a number of nm >= 0; got {thicknessNm}.");
    }

    private static void CheckLossless(Material material, string role, double wavelengthNm)
    {
        var eps = material.Permittivity(wavelengthNm);
        if (!double.IsFinite(eps.Real) || eps.Real <= 0 || Math.Abs(eps.Imaginary) > 1e-12)
            throw new ArgumentException($"The {role} '{material.Name}' must be a lossless dielectric (real eps > 0); at {wavelengthNm} nm eps = {ComplexText.Format(eps)}.");
    }
}
