using System.Text.Json.Serialization;
using MlNetInverse.Models.Training;

namespace MlNetInverse.Models.VqVae;

/// <summary>
/// Settings of a <see cref="VqVaeTrainer"/> run. Loss (paper eq. 1): Alpha*R + Beta*A + Theta*V + C. Defaults: 100
/// epochs (the paper trains 1500), batch 128 images and a constant learning rate 3e-4 (both as in the paper), a
/// checkpoint after every epoch.
/// </summary>
public sealed record VqVaeTrainingOptions : TrainingOptions
{
    /// <summary>The defaults listed in the summary.</summary>
    public VqVaeTrainingOptions()
        : base(epochs: 100, batchSize: 128, learningRate: 3e-4, checkpointIntervalSeconds: 0)
    {
    }

    /// <summary>Weight alpha of the reconstruction loss R = mean squared pixel error (dimensionless). Default 0.1.</summary>
    [JsonPropertyOrder(11)]
    public double Alpha { get; init; } = 0.1;

    /// <summary>Weight beta of the absorption loss A (dimensionless). Default 1.2; ignored (0) when no surrogate is given.</summary>
    [JsonPropertyOrder(12)]
    public double Beta { get; init; } = 1.2;

    /// <summary>Weight theta of the codebook loss V (dimensionless), used when the quantizer learns by codebook loss. Default 1.2.</summary>
    [JsonPropertyOrder(13)]
    public double Theta { get; init; } = 1.2;

    /// <summary>
    /// A is computed on max(1, batch / AbsorptionSubsetDivisor) random images of each batch (the paper's n_batch/32)
    /// (divisor, dimensionless). Default 32.
    /// </summary>
    [JsonPropertyOrder(14)]
    public int AbsorptionSubsetDivisor { get; init; } = 32;

    /// <summary>What the surrogate's prediction for x_hat is compared with. Default <see cref="AbsorptionReference.SurrogateOfInput"/>.</summary>
    [JsonPropertyOrder(15)]
    public AbsorptionReference AbsorptionReference { get; init; } = AbsorptionReference.SurrogateOfInput;

    /// <summary>
    /// Whether training ends by fitting the <see cref="VolumeFractionReadout"/>, so designs are cut at the volume fraction
    /// read from their snapped codes; without one they are cut at 0.5. Default true. It does not change the network's weights.
    /// </summary>
    [JsonPropertyOrder(16)]
    public bool FitVolumeFractionReadout { get; init; } = true;

    /// <inheritdoc/>
    protected override void ValidateOwn()
    {
        if (!(Alpha >= 0 && double.IsFinite(Alpha))) throw Bad(nameof(Alpha), Alpha, "a finite number >= 0");
        if (!(Beta >= 0 && double.IsFinite(Beta))) throw Bad(nameof(Beta), Beta, "a finite number >= 0");
        if (!(Theta >= 0 && double.IsFinite(Theta))) throw Bad(nameof(Theta), Theta, "a finite number >= 0");
        if (AbsorptionSubsetDivisor < 1) throw Bad(nameof(AbsorptionSubsetDivisor), AbsorptionSubsetDivisor, "at least 1");
        if (!Enum.IsDefined(AbsorptionReference)) throw Bad(nameof(AbsorptionReference), AbsorptionReference, "SurrogateOfInput or Label");
    }
}
