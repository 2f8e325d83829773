using System.Diagnostics;
using MlNetInverse.Models.Quantization;
using MlNetInverse.Models.Training;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Benchmarks;

/// <summary>
/// Times the VQ-VAE train step and decode in TorchSharp on the CPU with exactly the workload of the PyTorch peer script
/// (pytorch_vqvae_bench.py): the peer architecture, batch of uniform random 64x64 images, loss
/// mse(x_hat, x) + ||sg[z_e] - e||^2 + 0.25 ||z_e - sg[e]||^2, Adam at 3e-4, loss.item() every step.
/// </summary>
public static class VqVaeTrainStepBenchmark
{
    /// <summary>Runs the benchmark with the current torch thread count.</summary>
    /// <exception cref="OperationCanceledException">Cancelled between steps.</exception>
    public static TrainStepBenchmarkResult Run(TrainStepBenchmarkOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var modelOptions = VqVaeOptions.PeerBenchmark(options.CodebookSize, options.CodeDimension);
        int batch = options.BatchSize, size = modelOptions.ImageSize, grid = modelOptions.LatentGridSize;

        using var model = new VqVaeModel(modelOptions, options.Seed);
        using var optimizer = new HeldScalarAdam(model.parameters(), 3e-4);
        var random = new SeededRandom(options.Seed, SeededRandom.Purpose.Shuffle);
        var pixels = new float[batch * size * size];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (float)random.NextDouble();
        using var images = tensor(pixels, [batch, 1, size, size]);

        model.train();
        var train = Time(options, cancellationToken, () =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var output = model.call(images);
            var loss = nn.functional.mse_loss(output.Reconstruction, images)
                .Plus(output.Quantizer.CodebookLoss).Plus(output.Quantizer.CommitmentLoss);
            loss.Backpropagate();
            optimizer.step();
            loss.item<float>();
        });

        var codes = new long[batch * grid * grid];
        for (int i = 0; i < codes.Length; i++) codes[i] = random.NextInt(options.CodebookSize);
        using var indices = tensor(codes, [batch, grid, grid]);
        model.eval();
        var decode = Time(options, cancellationToken, () =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            model.DecodeIndices(indices).sum().item<float>();
        });

        return new TrainStepBenchmarkResult(
            $"TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)}", batch, torch.get_num_threads(),
            Median(train), train.Min(), train.Max(), Median(decode));
    }

    /// <summary>Runs warm-up calls, then returns the wall time of each timed call in ms.</summary>
    private static double[] Time(TrainStepBenchmarkOptions options, CancellationToken cancellationToken, Action step)
    {
        for (int i = 0; i < options.WarmUpSteps; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            step();
        }
        var milliseconds = new double[options.Steps];
        for (int i = 0; i < milliseconds.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            step();
            milliseconds[i] = watch.Elapsed.TotalMilliseconds;
        }
        return milliseconds;
    }

    /// <summary>The element at index count/2 of the sorted values: the peer script's median, so both sides agree.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("The median of no values is undefined.", nameof(values));
        return values.Order().ElementAt(values.Count / 2);
    }
}
