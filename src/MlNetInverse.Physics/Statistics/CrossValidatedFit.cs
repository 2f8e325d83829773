namespace MlNetInverse.Physics.Statistics;

/// <summary>
/// A polynomial regression whose degree was chosen by k-fold cross-validation, refitted on every row.
/// </summary>
/// <param name="Model">The fit at <see cref="Degree"/> on all rows.</param>
/// <param name="Degree">The degree with the highest cross-validated R^2.</param>
/// <param name="CrossValidatedR2">
/// Out-of-fold R^2 at that degree: 1 - (sum of squared out-of-fold residuals) / (sum of squared deviations from the
/// mean): the share of the label's variance the features explain on rows the fit did not see.
/// </param>
/// <param name="R2ByDegree">Out-of-fold R^2 of every degree tried, from degree 0 (which is about 0 by construction).</param>
public sealed record CrossValidatedFit(PolynomialRegression Model, int Degree, double CrossValidatedR2, IReadOnlyList<double> R2ByDegree);
