namespace MlNetInverse.ML.Scoring;

/// <summary>What <see cref="ScoreShardMerger.Merge"/> wrote.</summary>
/// <param name="Path">The merged file (full path).</param>
/// <param name="Shards">Shard files joined.</param>
/// <param name="Targets">Target rows covered (0 .. Targets-1 of the input).</param>
/// <param name="Images">Rows (images) in the merged file.</param>
public sealed record ScoreMergeSummary(string Path, int Shards, long Targets, long Images);
