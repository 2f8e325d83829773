namespace MlNetInverse.Models.Surrogate;

/// <summary>One surrogate training epoch: the training loss and, separately, the held-out error after the epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainingLoss">Mean squared error on standardized labels over the epoch's (augmented) training batches.</param>
/// <param name="HeldOutMeanAbsoluteError">Mean |prediction - label| on the held-out images (absorption units).</param>
/// <param name="HeldOutRSquared">Coefficient of determination on the held-out images.</param>
/// <param name="LearningRate">Adam learning rate used in the epoch.</param>
/// <param name="Seconds">Wall-clock duration (s), checkpoint excluded.</param>
public sealed record SurrogateEpochMetrics(
    int Epoch, double TrainingLoss, double HeldOutMeanAbsoluteError, double HeldOutRSquared, double LearningRate, double Seconds);
