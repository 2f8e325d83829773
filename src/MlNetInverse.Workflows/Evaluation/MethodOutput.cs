using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Workflows.Evaluation;

/// <summary>What one method returned for one target.</summary>
/// <param name="Maps">The designs, binary (as a user would fabricate them), in the method's order.</param>
/// <param name="RcwaAbsorption">
/// RCWA absorption of each design when the method already simulated it on the evaluation's stack (optimisation,
/// verify-and-rank); null when the evaluation must simulate them. The solver is deterministic, so reusing these values
/// equals simulating again.
/// </param>
/// <param name="Simulations">RCWA simulations the method itself spent (its cost; 0 for the generative methods).</param>
/// <param name="Drawn">Candidates the method drew before choosing (MDN draws, BO candidates; = Maps.Count when it keeps all).</param>
/// <param name="WithinTolerance">For verify-and-rank: designs confirmed within the tolerance by RCWA; otherwise null.</param>
internal sealed record MethodOutput(IReadOnlyList<Microstructure> Maps, double[]? RcwaAbsorption, int Simulations, int Drawn, int? WithinTolerance = null);
