using MlNetInverse.Physics.Morphology;
using MlNetInverse.Workflows.Generation;

namespace MlNetInverse.Workflows.Pipelines;

/// <summary>What a finished <see cref="TrainingRun"/> made: the artifacts and the designs of the pipeline's targets.</summary>
public sealed class TrainingResult
{
    internal TrainingResult(TrainingPipeline pipeline, TrainingArtifacts artifacts, IReadOnlyList<GeneratedTarget> generated, string sampling,
        TrainingStages stages, IReadOnlyList<(double Target, MorphologyComparison Comparison)> morphology, double wallSeconds)
    {
        Pipeline = pipeline;
        Artifacts = artifacts;
        Generated = generated;
        Sampling = sampling;
        Stages = stages;
        Morphology = morphology;
        WallSeconds = wallSeconds;
    }

    /// <summary>The pipeline that was trained.</summary>
    public TrainingPipeline Pipeline { get; }

    /// <summary>Where model.zip, latents.parquet and metrics.json are.</summary>
    public TrainingArtifacts Artifacts { get; }

    /// <summary>
    /// The designs of <see cref="GenerationSection.Targets"/>, generated from the saved model.zip, with the surrogate's
    /// REP (a screen; judge them by RCWA with <see cref="Verification.RcwaVerification.Run"/>).
    /// </summary>
    public IReadOnlyList<GeneratedTarget> Generated { get; }

    /// <summary>How the report's zip drew and screened <see cref="Generated"/>: "best 30 of 120 MDN draws by the surrogate" or "30 MDN draws".</summary>
    internal string Sampling { get; }

    /// <summary>Wall time of the run (s), reused stages included at the time they took to load.</summary>
    public double WallSeconds { get; }

    internal TrainingStages Stages { get; }

    /// <summary>Per target, the designs' morphology against the training maps labelled near it.</summary>
    internal IReadOnlyList<(double Target, MorphologyComparison Comparison)> Morphology { get; }
}
