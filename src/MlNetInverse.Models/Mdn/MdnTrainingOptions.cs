using MlNetInverse.Models.Training;

namespace MlNetInverse.Models.Mdn;

/// <summary>
/// Settings of an <see cref="MdnTrainer"/> run (mixture negative log-likelihood, Adam, cosine learning rate). Defaults:
/// 200 epochs, batch 128 (absorption, latent) pairs, learning rate 1e-3 falling to 0.1 of it, 10 % of the pairs held
/// out, a checkpoint at most every 60 s.
/// </summary>
/// <remarks>
/// A checkpoint holds the network and both Adam moments (63 MB at 40 components and 512 latent values, synced to disk:
/// 1-2 s against 5-8 s per epoch of pipelines/quick.json on a shared 2-core machine), so writing one every epoch cost
/// about a fifth of the training; hence the 60 s <see cref="TrainingOptions.CheckpointIntervalSeconds"/>.
/// </remarks>
public sealed record MdnTrainingOptions : SupervisedTrainingOptions
{
    /// <summary>The defaults listed in the summary.</summary>
    public MdnTrainingOptions()
        : base(epochs: 200, batchSize: 128, learningRate: 1e-3, finalLearningRateFraction: 0.1, heldOutFraction: 0.1, checkpointIntervalSeconds: 60)
    {
    }
}
