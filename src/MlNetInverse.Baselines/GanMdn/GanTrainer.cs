using System.Diagnostics;
using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.GanMdn;

/// <summary>
/// Trains a DCGAN on microstructure images: per batch one discriminator step (real images against
/// <see cref="GanOptions.RealLabel"/>, generated ones against 0) and one non-saturating generator step, both with Adam.
/// Both steps also minimise the error of the discriminator's latent guess for generated images
/// (<see cref="GanOptions.LatentRecoveryWeight"/>, InfoGAN), which keeps every latent value visible in the image.
/// </summary>
/// <remarks>
/// Reproducible: weights, shuffles and latent noise come from the seed through seeded SplitMix64
/// streams, so the same seed on the CPU gives bit-identical generators. Cancellation is checked before every step.
/// </remarks>
public sealed class GanTrainer
{
    /// <summary>Creates a trainer.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public GanTrainer(GanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The settings.</summary>
    public GanOptions Options { get; }

    /// <summary>Trains a generator on <paramref name="images"/> (N * S * S pixels in [0, 1]); returns it in eval mode.</summary>
    /// <param name="images">Training images, image-major.</param>
    /// <param name="seed">Seed of weights, shuffles and noise.</param>
    /// <param name="device">Where to train.</param>
    /// <param name="progress">Receives each finished epoch.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <exception cref="ArgumentException">Bad images (length, values) or fewer than 2 images.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public (GanGenerator Generator, IReadOnlyList<GanEpochMetrics> History) Train(
        float[] images, long seed, ComputeDevice device = ComputeDevice.Cpu,
        IProgress<GanEpochMetrics>? progress = null, CancellationToken cancellationToken = default)
    {
        int size = Options.ImageSize;
        int count = TrainingData.CountImages(images, size, nameof(images));
        if (count < 2) throw new ArgumentException($"GAN training needs at least 2 images; got {count}.", nameof(images));
        var target = DeviceResolver.Resolve(device);
        var generator = new GanGenerator(Options, seed);
        using var discriminator = new GanDiscriminator(Options, seed + 1);
        var history = new List<GanEpochMetrics>();
        try
        {
            generator.to(target);
            discriminator.to(target);
            using var generatorOptimizer = new HeldScalarAdam(generator.parameters(), Options.LearningRate, Options.Beta1);
            using var discriminatorOptimizer = new HeldScalarAdam(discriminator.parameters(), Options.LearningRate, Options.Beta1);
            using var data = TrainingData.ImageTensor(images, count, size, target);
            for (int epoch = 0; epoch < Options.Epochs; epoch++)
            {
                var watch = Stopwatch.StartNew();
                var (d, g) = RunEpoch(generator, discriminator, generatorOptimizer, discriminatorOptimizer, data, seed, epoch, cancellationToken);
                var metrics = new GanEpochMetrics(epoch + 1, d, g, watch.Elapsed.TotalSeconds);
                history.Add(metrics);
                progress?.Report(metrics);
            }
            generator.eval();
            return (generator, history);
        }
        catch
        {
            generator.Dispose();
            throw;
        }
    }

    private (double Discriminator, double Generator) RunEpoch(
        GanGenerator generator, GanDiscriminator discriminator, optim.Optimizer generatorOptimizer, optim.Optimizer discriminatorOptimizer,
        Tensor data, long seed, int epoch, CancellationToken cancellationToken)
    {
        generator.train();
        discriminator.train();
        int count = (int)data.shape[0];
        var order = new SeededRandom(seed, SeededRandom.Purpose.Shuffle, epoch).Permutation(count);
        double dSum = 0, gSum = 0;
        int batches = 0;
        // A last batch of 1 image would break batch norm: it is skipped this epoch (the next shuffle moves it elsewhere).
        for (int start = 0, step = 0; start + 1 < count; start += Options.BatchSize, step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(Options.BatchSize, count - start);
            using var scope = NewDisposeScope();
            var real = data.index_select(0, TrainingData.IndexTensor(order.AsSpan(start, n), data.device));
            var noise = tensor(BaselineRandom.StandardNormals(n, Options.LatentDimension, seed, BaselineRandom.GanNoise, epoch, step),
                [n, Options.LatentDimension]).to(data.device);
            var fake = generator.call(noise);

            discriminatorOptimizer.zero_grad();
            var realLoss = nn.functional.binary_cross_entropy_with_logits(discriminator.call(real), full(n, HeldScalar.Of(Options.RealLabel), device: data.device));
            var (fakeLogits, fakeGuess) = discriminator.Discriminate(fake.detach());
            var fakeLoss = nn.functional.binary_cross_entropy_with_logits(fakeLogits, zeros(n, device: data.device));
            var discriminatorLoss = realLoss.Plus(fakeLoss).Plus(nn.functional.mse_loss(fakeGuess, noise).mul(HeldScalar.Of(Options.LatentRecoveryWeight)));
            discriminatorLoss.Backpropagate();
            discriminatorOptimizer.step();

            generatorOptimizer.zero_grad();
            var (logits, guess) = discriminator.Discriminate(fake);
            var adversarialLoss = nn.functional.binary_cross_entropy_with_logits(logits, ones(n, device: data.device));
            var generatorLoss = adversarialLoss.Plus(nn.functional.mse_loss(guess, noise).mul(HeldScalar.Of(Options.LatentRecoveryWeight)));
            generatorLoss.Backpropagate();
            generatorOptimizer.step();

            dSum += discriminatorLoss.detach().cpu().to_type(ScalarType.Float64).item<double>();
            gSum += adversarialLoss.detach().cpu().to_type(ScalarType.Float64).item<double>();
            batches++;
        }
        return (dSum / batches, gSum / batches);
    }
}
