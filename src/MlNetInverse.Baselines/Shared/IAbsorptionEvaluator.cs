using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Baselines.Shared;

/// <summary>
/// Something that tells the absorption of microstructure maps: RCWA (<see cref="RcwaAbsorption"/>), the trained
/// surrogate CNN (<see cref="SurrogateAbsorption"/>) or any function (<see cref="FunctionAbsorption"/>, for tests).
/// GAN-MDN labels its generated samples with one; the optimisation baseline uses one as its objective.
/// </summary>
public interface IAbsorptionEvaluator
{
    /// <summary>A short name for reports, e.g. "rcwa" or "surrogate".</summary>
    string Name { get; }

    /// <summary>The absorption of each map (dimensionless), in order.</summary>
    /// <exception cref="ArgumentException">A map the evaluator cannot handle (e.g. the wrong size); the message says why.</exception>
    double[] Evaluate(IReadOnlyList<Microstructure> maps, CancellationToken cancellationToken = default);
}
