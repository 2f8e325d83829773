namespace MlNetInverse.Physics.Optics;

/// <summary>The film patterned by the microstructure: pixels 1 are <paramref name="MaterialA"/>, pixels 0 <paramref name="MaterialB"/>.</summary>
/// <param name="MaterialA">Material of pixels with value 1 (the absorber).</param>
/// <param name="MaterialB">Material of pixels with value 0 (the filler).</param>
/// <param name="ThicknessNm">Thickness in nm (&gt;= 0).</param>
public sealed record PatternedLayer(Material MaterialA, Material MaterialB, double ThicknessNm);
