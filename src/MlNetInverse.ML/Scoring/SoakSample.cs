namespace MlNetInverse.ML.Scoring;

/// <summary>One reading of a memory soak (see <see cref="ScoringBenchmark.Soak"/>).</summary>
/// <param name="Images">Images generated so far.</param>
/// <param name="ResidentBytes">VmRSS (bytes).</param>
/// <param name="LiveTensors">TorchSharp tensors alive in the process (torch.Tensor.TotalCount): flat when every batch disposes its tensors.</param>
/// <param name="ManagedBytes">GC heap after a collection (bytes).</param>
/// <param name="ScopeCreatedTensors">Tensors created on the scoring thread since the soak's first reading (DisposeScopeManager.Statistics, in and outside scopes).</param>
/// <param name="ScopeDisposedTensors">Tensors disposed on the scoring thread since the first reading (in and outside scopes).</param>
/// <param name="ScopeLiveTensors">DisposeScopeManager.Statistics.ThreadTotalLiveCount since the first reading: created minus disposed, 0 when nothing leaks.</param>
public sealed record SoakSample(long Images, long ResidentBytes, long LiveTensors, long ManagedBytes, long ScopeCreatedTensors, long ScopeDisposedTensors, long ScopeLiveTensors);
