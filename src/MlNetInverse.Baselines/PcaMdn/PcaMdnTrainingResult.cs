namespace MlNetInverse.Baselines.PcaMdn;

/// <summary>The outcome of <see cref="PcaMdnTrainer.Train"/>.</summary>
/// <param name="Method">The trained method (the caller owns and disposes it).</param>
/// <param name="ReconstructionError">Mean squared pixel error of the k-component PCA reconstruction of the training images (pixel value^2).</param>
/// <param name="ExplainedVarianceFraction">Share of the total pixel variance the k components hold (0..1).</param>
/// <param name="MdnHeldOutNll">The MDN's mean negative log-likelihood of held-out coefficients (nats per image).</param>
/// <param name="PcaSeconds">Time of the PCA fit (s).</param>
/// <param name="MdnSeconds">Time of the MDN training (s).</param>
public sealed record PcaMdnTrainingResult(
    PcaMdnMethod Method, double ReconstructionError, double ExplainedVarianceFraction, double MdnHeldOutNll, double PcaSeconds, double MdnSeconds);
