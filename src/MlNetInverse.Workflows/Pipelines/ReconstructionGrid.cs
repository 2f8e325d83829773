namespace MlNetInverse.Workflows.Pipelines;

/// <summary>
/// The VQ-VAE stage's held-out originals and their reconstructions, handed to
/// <see cref="TrainingRunOptions.WriteReconstructionGrid"/> to draw as an image (the CLI writes reconstructions.png).
/// </summary>
/// <param name="Path">Where the grid belongs (<see cref="TrainingArtifacts.ReconstructionGrid"/>).</param>
/// <param name="Originals">Held-out images in split order (S*S pixels in [0, 1], x-major).</param>
/// <param name="Reconstructions">Their sigmoid reconstructions, same order.</param>
/// <param name="ImageSize">Edge length S (pixels).</param>
public sealed record ReconstructionGrid(string Path, IReadOnlyList<float[]> Originals, IReadOnlyList<float[]> Reconstructions, int ImageSize);
