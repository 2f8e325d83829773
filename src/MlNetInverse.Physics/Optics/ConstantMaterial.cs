using System.Numerics;

namespace MlNetInverse.Physics.Optics;

/// <summary>A non-dispersive material.</summary>
public sealed class ConstantMaterial : Material
{
    public ConstantMaterial(string name, Complex permittivity) : base(name)
    {
        if (!double.IsFinite(permittivity.Real) || !double.IsFinite(permittivity.Imaginary))
            throw new ArgumentException($"Material '{name}': permittivity {ComplexText.Format(permittivity)} is not finite.");
        Value = permittivity;
    }

    /// <summary>The permittivity.</summary>
    public Complex Value { get; }

    public override Complex Permittivity(double wavelengthNm) => Value;
}
