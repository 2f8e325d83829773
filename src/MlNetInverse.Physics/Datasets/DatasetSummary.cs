namespace MlNetInverse.Physics.Datasets;

/// <summary>
/// What a generation run produced; for a shard (<see cref="DatasetGenerationOptions.Shard"/>), Count and the statistics
/// are the shard's rows. A shard can hold no rows (more shards than row groups): then the three statistics are NaN.
/// </summary>
public sealed record DatasetSummary(string Path, int Count, int Resumed, double MinAbsorption, double MeanAbsorption, double MaxAbsorption, TimeSpan Elapsed);
