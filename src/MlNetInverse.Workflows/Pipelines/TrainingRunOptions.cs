namespace MlNetInverse.Workflows.Pipelines;

/// <summary>Where a <see cref="TrainingRun"/> writes and whom it tells how it goes.</summary>
public sealed class TrainingRunOptions
{
    /// <summary>
    /// Folder of the artifacts (model.zip, latents.parquet, metrics.json) and of the per-stage state that lets a rerun
    /// resume. Default "artifacts".
    /// </summary>
    public string OutputFolder { get; set; } = "artifacts";

    /// <summary>
    /// Let this run replace what it finds in <see cref="OutputFolder"/>: stages finished (or checkpointed) there with other
    /// settings are trained again, and files that are no training output are left beside the new ones. Default false:
    /// those are refused before anything trains (a rerun with the same settings resumes and reuses either way).
    /// </summary>
    public bool Overwrite { get; set; }

    /// <summary>
    /// One line per event: a stage finished (with its held-out result) or restarts because its settings changed.
    /// Called on the training thread; null: silent.
    /// </summary>
    public IProgress<string>? Log { get; set; }

    /// <summary>Progress bars of the stages (epochs, rows). Called on the training thread; null: none.</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>
    /// Draws the VQ-VAE stage's held-out reconstructions (called once when the stage trains, not when it is reused);
    /// null: no reconstructions image.
    /// </summary>
    public Action<ReconstructionGrid>? WriteReconstructionGrid { get; set; }
}
