using System.Diagnostics;
using MlNetInverse.ML.Internals;
using MlNetInverse.Models.Devices;
using MlNetInverse.Physics.Storage;
using Parquet;
using Parquet.Schema;

namespace MlNetInverse.ML.Scoring;

/// <summary>
/// Measurements behind <c>mlnet-inverse bench score</c>: per-stage throughput of an engine (MDN, sampling, decoding,
/// surrogate) on blocks of random in-range targets, and target files of any size for memory runs.
/// </summary>
public static class ScoringBenchmark
{
    /// <summary>
    /// Times <paramref name="blocks"/> blocks of <paramref name="batch"/> targets (one image each) after one untimed
    /// warm-up block, once without and once with the surrogate.
    /// </summary>
    public static ScoringStageTimes Throughput(string modelPath, ScoringEngine engine, int batch, int blocks, int threads, ComputeDevice device = ComputeDevice.Cpu)
    {
        using var generator = ScoringGenerator.Open(modelPath);
        using var runtime = generator.CreateEngine(engine, threads, device, out _);
        var targets = RandomTargets(generator, batch, seed: 1);
        ScoringStageTimes Run(bool absorption)
        {
            var options = new BatchScoringOptions { BatchSize = batch, Threads = threads, PredictAbsorption = absorption };
            new BlockScorer(runtime, generator, 0, 1, options).Score(0, targets, CancellationToken.None); // warm-up: allocation, ORT arenas, kernels
            var scorer = new BlockScorer(runtime, generator, 0, 1, options);
            var wall = Stopwatch.StartNew();
            for (int b = 0; b < blocks; b++) scorer.Score(0, targets, CancellationToken.None);
            wall.Stop();
            return new ScoringStageTimes(runtime.Description, batch * blocks, scorer.MixtureSeconds, scorer.SamplingSeconds, scorer.DecodeSeconds, 0, wall.Elapsed.TotalSeconds);
        }
        var plain = Run(absorption: false);
        var full = Run(absorption: true);
        return plain with { DecodeWithAbsorptionSeconds = full.DecodeSeconds, WallWithAbsorptionSeconds = full.WallSeconds, Work = generator.Work() };
    }

    /// <summary>Writes <paramref name="count"/> targets uniform in the model's training range to a Parquet file (column "target", row groups of 65536).</summary>
    public static void WriteTargets(string modelPath, string path, int count, long seed)
    {
        double min, max;
        using (var generator = ScoringGenerator.Open(modelPath))
        {
            min = generator.Manifest.TrainingAbsorptionMin;
            max = generator.Manifest.TrainingAbsorptionMax;
        }
        var field = new DataField<float>("target", false);
        var random = new Random(unchecked((int)seed));
        AtomicFile.Write(path, stream => SyncOverAsync.Run(async () =>
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(field), stream);
            for (int start = 0; start < count; start += 65536)
            {
                var values = new float[Math.Min(65536, count - start)];
                for (int i = 0; i < values.Length; i++) values[i] = (float)(min + (max - min) * random.NextDouble());
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<float>(field, values);
            }
        }));
    }

    /// <summary>
    /// Generates <paramref name="images"/> images in blocks of <paramref name="batch"/> on the torch engine (surrogate
    /// included, nothing written) and reports a <see cref="SoakSample"/> before the first block and after every
    /// <paramref name="every"/> images: live TorchSharp tensors and RSS must stay flat.
    /// </summary>
    public static IReadOnlyList<SoakSample> Soak(string modelPath, long images, int batch, int threads, long every, Action<SoakSample>? report = null, CancellationToken cancellationToken = default)
    {
        using var generator = ScoringGenerator.Open(modelPath);
        using var runtime = generator.CreateEngine(ScoringEngine.Torch, threads, ComputeDevice.Cpu, out _);
        var options = new BatchScoringOptions { BatchSize = batch, Threads = threads };
        var scorer = new BlockScorer(runtime, generator, 0, 1, options);
        var samples = new List<SoakSample>();
        // Per-thread DisposeScope counters: the torch engine runs every block on this thread.
        var statistics = TorchSharp.DisposeScopeManager.Statistics;
        void Sample(long done)
        {
            // Tensors the process orphaned before the soak are freed by finalisers; wait for them so the live count
            // reads what this loop holds, not when a finaliser happened to run.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long managed = GC.GetTotalMemory(forceFullCollection: true);
            var tensors = statistics.TensorStatistics;
            var sample = new SoakSample(done, ProcessMemory.ResidentBytes, TorchSharp.torch.Tensor.TotalCount, managed,
                tensors.CreatedInScopeCount + tensors.CreatedOutsideScopeCount, tensors.DisposedInScopeCount + tensors.DisposedOutsideScopeCount,
                statistics.ThreadTotalLiveCount);
            samples.Add(sample);
            report?.Invoke(sample);
        }
        scorer.Score(0, RandomTargets(generator, batch, seed: 0), cancellationToken); // warm-up: buffers and kernels
        statistics.Reset();
        Sample(0);
        long next = every;
        for (long done = 0; done < images;)
        {
            int n = (int)Math.Min(batch, images - done);
            scorer.Score(done, RandomTargets(generator, n, seed: unchecked((int)done + 1)), cancellationToken);
            done += n;
            if (done >= next || done == images)
            {
                Sample(done);
                next += every;
            }
        }
        return samples;
    }

    internal static float[] RandomTargets(ScoringGenerator generator, int count, int seed)
    {
        var random = new Random(seed);
        double min = generator.Manifest.TrainingAbsorptionMin, max = generator.Manifest.TrainingAbsorptionMax;
        return Enumerable.Range(0, count).Select(_ => (float)(min + (max - min) * random.NextDouble())).ToArray();
    }
}
