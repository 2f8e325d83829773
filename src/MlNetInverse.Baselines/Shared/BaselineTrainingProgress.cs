namespace MlNetInverse.Baselines.Shared;

/// <summary>One finished unit of a baseline's training (an epoch of a network, or a whole stage such as the PCA fit).</summary>
/// <param name="Stage">What is being trained: "pca", "gan", "labels", "mdn" or "mdn-inverse".</param>
/// <param name="Epoch">1-based epoch (or step) within the stage.</param>
/// <param name="Epochs">Epochs (or steps) of the stage.</param>
/// <param name="Loss">The stage's training loss over the epoch (its unit is the stage's: nats for an MDN, BCE for a GAN).</param>
/// <param name="HeldOutLoss">The same on held-out data where the stage has any (an MDN's held-out NLL), otherwise NaN.</param>
/// <param name="Seconds">Wall-clock duration of the epoch (s).</param>
public sealed record BaselineTrainingProgress(string Stage, int Epoch, int Epochs, double Loss, double HeldOutLoss, double Seconds);
