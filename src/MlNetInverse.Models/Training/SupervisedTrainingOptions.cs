using System.Text.Json.Serialization;

namespace MlNetInverse.Models.Training;

/// <summary>
/// Settings of a supervised trainer (surrogate, MDN): a seeded held-out split drawn before anything is learned, and a
/// cosine learning rate from <see cref="TrainingOptions.LearningRate"/> down to
/// <see cref="FinalLearningRateFraction"/> of it.
/// </summary>
public abstract record SupervisedTrainingOptions : TrainingOptions
{
    /// <summary>Sets the defaults that differ between trainers.</summary>
    protected SupervisedTrainingOptions(
        int epochs, int batchSize, double learningRate, double finalLearningRateFraction, double heldOutFraction, double checkpointIntervalSeconds)
        : base(epochs, batchSize, learningRate, checkpointIntervalSeconds)
    {
        FinalLearningRateFraction = finalLearningRateFraction;
        HeldOutFraction = heldOutFraction;
    }

    /// <summary>Learning rate of the last epoch as a fraction of <see cref="TrainingOptions.LearningRate"/> (dimensionless, in (0, 1]; 1 keeps it constant).</summary>
    [JsonPropertyOrder(4)]
    public double FinalLearningRateFraction { get; init; }

    /// <summary>
    /// Fraction of the items held out for testing, chosen by a seeded shuffle before anything (normalisation included)
    /// is fitted (dimensionless, in (0, 1)).
    /// </summary>
    [JsonPropertyOrder(5)]
    public double HeldOutFraction { get; init; }

    /// <summary>Learning rate of zero-based <paramref name="epoch"/>: cosine from LearningRate to LearningRate * FinalLearningRateFraction.</summary>
    public override double LearningRateAt(int epoch)
    {
        double progress = Epochs == 1 ? 1 : (double)epoch / (Epochs - 1);
        double final = LearningRate * FinalLearningRateFraction;
        return final + (LearningRate - final) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    /// <inheritdoc/>
    protected override void ValidateOwn()
    {
        if (!(FinalLearningRateFraction > 0 && FinalLearningRateFraction <= 1)) throw Bad(nameof(FinalLearningRateFraction), FinalLearningRateFraction, "in (0, 1]");
        if (!(HeldOutFraction > 0 && HeldOutFraction < 1)) throw Bad(nameof(HeldOutFraction), HeldOutFraction, "in (0, 1)");
    }
}
