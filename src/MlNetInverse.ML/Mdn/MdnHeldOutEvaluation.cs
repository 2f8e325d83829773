namespace MlNetInverse.ML.Mdn;

/// <summary>
/// How well the fitted MDN explains (absorption, latent) pairs held out from its training (a test result), next to the
/// same number on its training pairs (not a test result; for spotting over-fitting). Saved in the model zip.
/// </summary>
/// <param name="Count">Held-out pairs.</param>
/// <param name="NegativeLogLikelihood">Mean negative log-likelihood per held-out latent (nats).</param>
/// <param name="NegativeLogLikelihoodPerDimension">The same divided by the latent dimension L (nats per value).</param>
/// <param name="TrainingNegativeLogLikelihood">Mean negative log-likelihood per training latent with the final weights (nats).</param>
public sealed record MdnHeldOutEvaluation(int Count, double NegativeLogLikelihood, double NegativeLogLikelihoodPerDimension, double TrainingNegativeLogLikelihood);
