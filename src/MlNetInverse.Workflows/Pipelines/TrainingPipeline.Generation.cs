using MlNetInverse.ML.Generation;
using MlNetInverse.ML.Mdn;
using MlNetInverse.ML.Surrogate;
using MlNetInverse.ML.VqVae;

namespace MlNetInverse.Workflows.Pipelines;

public sealed partial record TrainingPipeline
{
    /// <summary>
    /// The generation estimator's options of this pipeline's model zip, from the "generation" section (designs per
    /// target, oversampling with the surrogate screen, draw seed, calibration seeded with <see cref="Seed"/>) and the
    /// device, with the stages' fitted pieces. <c>train --pipeline</c> fits
    /// <c>mlContext.Inverse().GenerateMicrostructures(options)</c> with these and saves the chain as model.zip; the
    /// mapping from pipeline JSON to model lives here only.
    /// </summary>
    public GenerateMicrostructuresOptions GenerationOptions(VqVaeTransformer vqVae, AbsorptionSurrogateTransformer surrogate, MdnTransformer mdn)
    {
        ArgumentNullException.ThrowIfNull(vqVae);
        ArgumentNullException.ThrowIfNull(surrogate);
        ArgumentNullException.ThrowIfNull(mdn);
        return new GenerateMicrostructuresOptions
        {
            VqVae = vqVae,
            Surrogate = surrogate,
            Mdn = mdn,
            SamplesPerTarget = Generation.Samples,
            Oversampling = Generation.Oversampling,
            ScreenVolumeFractionStrata = Generation.VolumeFractionStrata,
            ScreenSoftness = Generation.ScreenSoftness,
            SamplingSeed = Generation.Seed,
            Calibration = Generation.Calibrate ? new MdnCalibrationOptions { Seed = Seed } : null,
            Device = ComputeDevice,
        };
    }
}
