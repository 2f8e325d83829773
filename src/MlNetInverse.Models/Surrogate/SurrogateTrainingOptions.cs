using System.Text.Json.Serialization;
using MlNetInverse.Models.Training;

namespace MlNetInverse.Models.Surrogate;

/// <summary>
/// Settings of a <see cref="SurrogateTrainer"/> run (mean squared error on standardized labels, Adam, cosine learning
/// rate). Defaults: 40 epochs, batch 64 images, learning rate 2e-3 falling to 0.05 of it, 20 % of the images held
/// out, a checkpoint after every epoch, augmentation on.
/// </summary>
public sealed record SurrogateTrainingOptions : SupervisedTrainingOptions
{
    /// <summary>The defaults listed in the summary.</summary>
    public SurrogateTrainingOptions()
        : base(epochs: 40, batchSize: 64, learningRate: 2e-3, finalLearningRateFraction: 0.05, heldOutFraction: 0.2, checkpointIntervalSeconds: 0)
    {
    }

    /// <summary>
    /// Apply a random symmetry of the square (rotations by 90 degrees, mirrors) to each training batch. Default true:
    /// at normal incidence, averaged over both polarisations, absorption does not change under these symmetries.
    /// </summary>
    [JsonPropertyOrder(11)]
    public bool Augment { get; init; } = true;
}
