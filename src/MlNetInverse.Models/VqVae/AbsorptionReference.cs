namespace MlNetInverse.Models.VqVae;

/// <summary>What the absorption loss compares the surrogate's prediction for a reconstruction x_hat with.</summary>
public enum AbsorptionReference
{
    /// <summary>
    /// The frozen surrogate's prediction for the input image: A = mean |s(x_hat) - s(x)|. The surrogate's own error on x
    /// cancels, so the loss only asks the reconstruction to keep what determines the absorption, and it does not push
    /// x_hat away from x to make up for surrogate bias.
    /// </summary>
    SurrogateOfInput,

    /// <summary>The absorption label of the input (the paper's |property(x_hat) - property(x)| with property(x) from RCWA).</summary>
    Label,
}
