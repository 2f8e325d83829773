namespace MlNetInverse.Physics.Datasets;

/// <summary>What <see cref="DatasetMerger.MergeAsync"/> wrote.</summary>
/// <param name="Path">Full path of the merged file.</param>
/// <param name="Inputs">Number of shard files merged.</param>
/// <param name="Rows">Rows written (the run's count).</param>
/// <param name="RowGroups">Row groups written.</param>
/// <param name="Elapsed">Wall time of the checks and the copy.</param>
public sealed record DatasetMergeSummary(string Path, int Inputs, int Rows, int RowGroups, TimeSpan Elapsed);
