using MlNetInverse.Physics.Optics;

namespace MlNetInverse.Physics.Datasets;

/// <summary>A whole microstructure dataset in memory: its rows plus the stack and settings it was made with.</summary>
/// <param name="Stack">Stack, wavelengths and solver settings of the labels; every later judgement must use the same.</param>
/// <param name="Generation">How the rows were generated.</param>
/// <param name="Records">The rows in file order.</param>
public sealed record MicrostructureDataset(OpticalStack Stack, DatasetGenerationInfo Generation, IReadOnlyList<MicrostructureRecord> Records);
