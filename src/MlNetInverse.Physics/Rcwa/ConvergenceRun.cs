namespace MlNetInverse.Physics.Rcwa;

/// <summary>The labels of every study pattern at one truncation and factorization.</summary>
/// <param name="Factorization">Fourier factorization used.</param>
/// <param name="Harmonics">nG.</param>
/// <param name="Labels">Absorption label per pattern.</param>
/// <param name="SecondsPerPattern">Wall time per pattern (all wavelengths), threads as requested.</param>
public sealed record ConvergenceRun(FourierFactorization Factorization, int Harmonics, IReadOnlyList<double> Labels, double SecondsPerPattern);
