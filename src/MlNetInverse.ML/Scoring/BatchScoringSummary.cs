namespace MlNetInverse.ML.Scoring;

/// <summary>What a scoring run did.</summary>
/// <param name="Output">The file written.</param>
/// <param name="Engine">The engine and device that ran ("torch (cpu, TorchSharp)").</param>
/// <param name="FirstRow">First input row scored (shards start later).</param>
/// <param name="Targets">Targets scored by this run (resumed blocks included).</param>
/// <param name="Images">Images in the output.</param>
/// <param name="Blocks">Blocks (row groups) in the output.</param>
/// <param name="ResumedBlocks">Blocks found finished from an interrupted run and not recomputed.</param>
/// <param name="OutOfRangeTargets">Targets outside the MDN's training range (their images are extrapolated).</param>
/// <param name="ComputeSeconds">Seconds spent computing the blocks of this run (s).</param>
/// <param name="ImagesPerSecond">Images of the computed blocks per second of the whole run, writing included (images/s).</param>
public sealed record BatchScoringSummary(
    string Output, string Engine, long FirstRow, long Targets, long Images, int Blocks, int ResumedBlocks, long OutOfRangeTargets,
    double ComputeSeconds, double ImagesPerSecond);
