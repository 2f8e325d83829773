namespace MlNetInverse.ML.Scoring;

/// <summary>One reading of a memory soak (see <see cref="ScoringBenchmark.Soak"/>).</summary>
/// <param name="Images">Images generated so far.</param>
/// <param name="ResidentBytes">VmRSS (bytes).</param>
/// <param name="LiveTensors">TorchSharp tensors alive (torch.Tensor.TotalCount): flat when every batch disposes its tensors.</param>
/// <param name="ManagedBytes">GC heap after a collection (bytes).</param>
public sealed record SoakSample(long Images, long ResidentBytes, long LiveTensors, long ManagedBytes);
