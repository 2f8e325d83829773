using System.Numerics;

namespace MlNetInverse.Physics.Optics;

/// <summary>An optical material: relative permittivity as a function of vacuum wavelength (exp(-i w t), Im(eps) &gt; 0 is loss).</summary>
public abstract class Material
{
    protected Material(string name) => Name = name;

    /// <summary>Name used in stack files and reports.</summary>
    public string Name { get; }

    /// <summary>Relative permittivity at the vacuum wavelength in nm.</summary>
    public abstract Complex Permittivity(double wavelengthNm);

    /// <summary>A material with one permittivity at every wavelength.</summary>
    public static Material Constant(string name, Complex permittivity) => new ConstantMaterial(name, permittivity);
}
