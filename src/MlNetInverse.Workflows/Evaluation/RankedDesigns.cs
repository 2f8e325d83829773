using MlNetInverse.Workflows.Generation;
using MlNetInverse.Workflows.Verification;


namespace MlNetInverse.Workflows.Evaluation;

/// <summary>What verify-and-rank returned for one target: the best simulated designs by RCWA REP.</summary>
/// <param name="Target">The target absorption.</param>
/// <param name="InTrainingRange">False when the target lies outside the MDN's training range.</param>
/// <param name="Images">The returned designs (binary, S*S values each, x-major).</param>
/// <param name="PredictedAbsorption">The surrogate's absorption of each returned design.</param>
/// <param name="RcwaAbsorption">RCWA absorption of each returned design.</param>
/// <param name="WithinTolerance">Whether each returned design's RCWA REP is within the tolerance.</param>
/// <param name="Drawn">MDN draws ranked.</param>
/// <param name="Distinct">Distinct maps among them (identical latent codes decode to identical maps).</param>
/// <param name="Simulations">RCWA simulations spent.</param>
/// <param name="ImageSize">Edge length S (pixels).</param>
/// <param name="SurrogateOffset">The surrogate's offset measured at this target: mean RCWA minus surrogate absorption of the simulated designs (0 without calibration).</param>
internal sealed record RankedDesigns(double Target, bool InTrainingRange, IReadOnlyList<float[]> Images, float[] PredictedAbsorption,
    double[] RcwaAbsorption, bool[] WithinTolerance, int Drawn, int Distinct, int Simulations, int ImageSize, double SurrogateOffset = 0)
{
    /// <summary>Designs confirmed within the tolerance.</summary>
    public int Confirmed => WithinTolerance.Count(w => w);

    /// <summary>As the generate command's per-target record.</summary>
    public GeneratedTarget AsGenerated() => new(Target, InTrainingRange, Images, PredictedAbsorption, ImageSize);

    /// <summary>As the generate command's RCWA record.</summary>
    public RcwaVerification AsVerification() => new(Target, RcwaAbsorption);

    /// <summary>REP statistics of the returned designs under RCWA.</summary>
    public RepStatistics Statistics => RepStatistics.Of(Target, RcwaAbsorption);
}
