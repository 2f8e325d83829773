namespace MlNetInverse.Physics.Datasets;

/// <summary>What a generation run produced.</summary>
public sealed record DatasetSummary(string Path, int Count, int Resumed, double MinAbsorption, double MeanAbsorption, double MaxAbsorption, TimeSpan Elapsed);
