using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Physics.Morphology;

/// <summary>
/// The binary reading of a map that every morphology statistic uses: a pixel is material A when its value exceeds 0.5
/// (the fabrication threshold of <see cref="Microstructure.Binarize"/>), so grey decoder output is measured as it would be made.
/// </summary>
internal static class PhaseMask
{
    /// <summary>True where the pixel is material A, row-major with x first.</summary>
    public static bool[] Of(Microstructure map)
    {
        var pixels = map.Pixels;
        var isMaterialA = new bool[pixels.Length];
        for (int i = 0; i < pixels.Length; i++) isMaterialA[i] = pixels[i] > 0.5f;
        return isMaterialA;
    }
}
