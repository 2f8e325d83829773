namespace MlNetInverse.Models.Benchmarks;

/// <summary>Timings of one benchmark run (wall clock, after warm-up).</summary>
/// <param name="Framework">What ran, e.g. "TorchSharp 0.107.0" or "PyTorch 1.13.0a0".</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="Threads">Torch intra-op threads.</param>
/// <param name="TrainStepMedianMs">Median of a full train step (forward, loss, backward, Adam, loss.item) in ms.</param>
/// <param name="TrainStepMinMs">Fastest timed train step in ms.</param>
/// <param name="TrainStepMaxMs">Slowest timed train step in ms.</param>
/// <param name="DecodeMedianMs">Median of decoding one batch of random code indices (eval, no grad) in ms.</param>
public sealed record TrainStepBenchmarkResult(
    string Framework, int BatchSize, int Threads, double TrainStepMedianMs, double TrainStepMinMs, double TrainStepMaxMs, double DecodeMedianMs)
{
    /// <summary>Training throughput at the median step (images/s).</summary>
    public double TrainImagesPerSecond => BatchSize / (TrainStepMedianMs / 1000);

    /// <summary>Decoding throughput at the median batch (images/s).</summary>
    public double DecodeImagesPerSecond => BatchSize / (DecodeMedianMs / 1000);
}
