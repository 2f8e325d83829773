using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Workflows.Verification;


namespace MlNetInverse.Workflows.Generation;

/// <summary>What a generation model made for one target absorption.</summary>
/// <param name="Target">The target absorption.</param>
/// <param name="InTrainingRange">False when the target lies outside the MDN's training range (extrapolation).</param>
/// <param name="Images">The generated binarized maps (S*S values each, 0 or 1, x-major).</param>
/// <param name="PredictedAbsorption">The surrogate's absorption of each map.</param>
/// <param name="ImageSize">Edge length S (pixels).</param>
public sealed record GeneratedTarget(double Target, bool InTrainingRange, IReadOnlyList<float[]> Images, float[] PredictedAbsorption, int ImageSize)
{
    /// <summary>REP statistics of the surrogate's absorption against the target (a screen, not a physics judgement).</summary>
    public RepStatistics SurrogateRep => RepStatistics.Of(Target, PredictedAbsorption.Select(p => (double)p));

    /// <summary>The designs as maps, in order.</summary>
    public Microstructure[] Maps() => Images.Select(image => Microstructure.FromPixels(image, ImageSize)).ToArray();
}
