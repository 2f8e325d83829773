using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Baselines.Optimization;

/// <summary>One simulated candidate of the optimisation baseline.</summary>
/// <param name="Index">0-based simulation number.</param>
/// <param name="Parameters">The GRF parameters of the candidate.</param>
/// <param name="RealizationSeed">The GRF noise seed it was realised with.</param>
/// <param name="Map">The binary map that was simulated.</param>
/// <param name="Absorption">Its absorption as judged by the evaluator (RCWA in production).</param>
/// <param name="Rep">|absorption - target| / target (a fraction; x 100 for the paper's REP %).</param>
public sealed record OptimizationDesign(int Index, GrfParameters Parameters, long RealizationSeed, Microstructure Map, double Absorption, double Rep);
