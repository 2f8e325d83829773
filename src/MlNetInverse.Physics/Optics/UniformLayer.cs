namespace MlNetInverse.Physics.Optics;

/// <summary>An unpatterned film of one material.</summary>
/// <param name="Material">The film's material.</param>
/// <param name="ThicknessNm">Thickness in nm (&gt;= 0).</param>
public sealed record UniformLayer(Material Material, double ThicknessNm);
