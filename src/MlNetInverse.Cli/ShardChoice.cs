using MlNetInverse.Physics.Datasets;

namespace MlNetInverse.Cli;

/// <summary>The shard a command runs and where that came from (for the log line of an array task).</summary>
/// <param name="Shard">Shard I of N.</param>
/// <param name="Source">"--shard" or the Slurm variables it was computed from.</param>
internal sealed record ShardChoice(DatasetShard Shard, string Source)
{
    /// <summary>"shard 3/4 (from SLURM_ARRAY_TASK_ID=2, ...)".</summary>
    public override string ToString() => $"shard {Shard} (from {Source})";
}
