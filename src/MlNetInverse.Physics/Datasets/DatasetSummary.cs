namespace MlNetInverse.Physics.Datasets;

/// <summary>What a generation run produced; for a shard (<see cref="DatasetGenerationOptions.Shard"/>), Count and the statistics are the shard's rows.</summary>
public sealed record DatasetSummary(string Path, int Count, int Resumed, double MinAbsorption, double MeanAbsorption, double MaxAbsorption, TimeSpan Elapsed);
