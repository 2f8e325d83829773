using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Physics.Datasets;

/// <summary>What sample <paramref name="Id"/> of a dataset is made from.</summary>
/// <param name="Id">Sample id (row id in the dataset).</param>
/// <param name="Parameters">GRF parameters drawn for this id.</param>
/// <param name="Seed">Seed of the GRF noise for this id (non-negative).</param>
public sealed record GrfSample(long Id, GrfParameters Parameters, long Seed);
