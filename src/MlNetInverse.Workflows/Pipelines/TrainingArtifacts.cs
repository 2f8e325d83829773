namespace MlNetInverse.Workflows.Pipelines;

/// <summary>Where a training run writes each artifact inside its output folder.</summary>
public sealed record TrainingArtifacts(string Folder)
{
    /// <summary>The generation model: MDN, decoder (VQ-VAE weights) and surrogate in one ML.NET zip.</summary>
    public string Model => Path.Combine(Folder, "model.zip");

    /// <summary>The generation model with the code prior drawing its latents (the optional prior stage; same decoder and screen).</summary>
    public string PriorModel => Path.Combine(Folder, "model-prior.zip");

    /// <summary>The absorption surrogate alone (stage output, reused by later stages and reruns).</summary>
    public string Surrogate => Path.Combine(Folder, "surrogate.zip");

    /// <summary>The VQ-VAE encoder alone (stage output).</summary>
    public string VqVae => Path.Combine(Folder, "vqvae.zip");

    /// <summary>(Id, absorption, latent, code indices) of every training image.</summary>
    public string Latents => Path.Combine(Folder, "latents.parquet");

    /// <summary>Held-out originals, reconstructions and binarized reconstructions.</summary>
    public string ReconstructionGrid => Path.Combine(Folder, "reconstructions.png");

    /// <summary>Generated designs, one row per report target.</summary>
    public string GenerationGrid => Path.Combine(Folder, "generated.png");

    /// <summary>Test results, training metrics and the generation summary.</summary>
    public string Metrics => Path.Combine(Folder, "metrics.json");

    /// <summary>Per-epoch checkpoints of the running stage (deleted when the stage finishes).</summary>
    public string Checkpoints => Path.Combine(Folder, "checkpoints");

    /// <summary>The checkpoint file of <paramref name="stage"/>.</summary>
    public string Checkpoint(string stage) => Path.Combine(Checkpoints, stage + ".checkpoint");

    /// <summary>
    /// Whether an entry of the folder is one a training run writes (or, for "evaluation", where build.cake's Evaluate
    /// target puts the evaluation of this folder's model): a rerun may find these and nothing else.
    /// </summary>
    public bool IsOwn(string name) =>
        name is "model.zip" or "model-prior.zip" or "surrogate.zip" or "vqvae.zip" or "latents.parquet" or "reconstructions.png" or "generated.png"
            or "metrics.json" or "checkpoints" or PipelineState.FileName or "evaluation"
        || name.StartsWith("latents.parquet", StringComparison.Ordinal);   // its resumable parts while the latent stage runs
}
