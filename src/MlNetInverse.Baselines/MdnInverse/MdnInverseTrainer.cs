using System.Diagnostics;
using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Baselines.MdnInverse;

/// <summary>
/// Trains the MDN-based deep learning inverse model end to end: every step encodes a batch of images, reconstructs
/// them from their codes and scores the codes under the MDN's mixture for the images' absorption, and one Adam step
/// updates encoder, decoder and MDN together on reconstruction + weight x NLL.
/// </summary>
/// <remarks>
/// Reproducible: weights and shuffles come from <see cref="MdnInverseOptions.Seed"/> through seeded streams, so the
/// same seed on the CPU gives bit-identical networks. Cancellation is checked before every step.
/// </remarks>
public sealed class MdnInverseTrainer
{
    /// <summary>Creates a trainer.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public MdnInverseTrainer(MdnInverseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The settings.</summary>
    public MdnInverseOptions Options { get; }

    /// <summary>Trains on <paramref name="images"/> (N * S * S pixels in [0, 1]) labelled with <paramref name="absorption"/> (N values).</summary>
    /// <exception cref="ArgumentException">Bad images or labels; the message names the problem.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public MdnInverseTrainingResult Train(
        float[] images, float[] absorption, IProgress<BaselineTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        int size = Options.ImageSize;
        int count = BaselineArguments.CheckTrainingData(images, absorption, size);
        var device = DeviceResolver.Resolve(Options.Device);
        using var threads = TorchThreadScope.UnlessZero(Options.Threads);
        var totalWatch = Stopwatch.StartNew();
        var network = new MdnInverseNetwork(Options, Options.Seed);
        try
        {
            network.Mdn.SetNormalization(Normalization(absorption));
            network.to(device);
            using var optimizer = new HeldScalarAdam(network.parameters(), Options.LearningRate);
            using var data = TrainingData.ImageTensor(images, count, size, device);
            using var labels = AbsorptionTensor(network, absorption);
            var history = new List<MdnInverseEpochMetrics>();
            for (int epoch = 0; epoch < Options.Epochs; epoch++)
            {
                var watch = Stopwatch.StartNew();
                var (reconstruction, nll) = RunEpoch(network, optimizer, data, labels, epoch, cancellationToken);
                var metrics = new MdnInverseEpochMetrics(epoch + 1, reconstruction / (size * size), nll, watch.Elapsed.TotalSeconds);
                history.Add(metrics);
                progress?.Report(new BaselineTrainingProgress("mdn-inverse", metrics.Epoch, Options.Epochs, metrics.ReconstructionLoss, double.NaN, metrics.Seconds));
            }
            network.eval();
            return new MdnInverseTrainingResult(new MdnInverseMethod(network), history, totalWatch.Elapsed.TotalSeconds);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private (double Reconstruction, double Nll) RunEpoch(
        MdnInverseNetwork network, optim.Optimizer optimizer, Tensor data, Tensor labels, int epoch, CancellationToken cancellationToken)
    {
        network.train();
        int count = (int)data.shape[0];
        var order = new SeededRandom(Options.Seed, SeededRandom.Purpose.Shuffle, epoch).Permutation(count);
        double reconstructionSum = 0, nllSum = 0;
        int seen = 0;
        // A last batch of 1 image would break batch norm: it is skipped this epoch (the next shuffle moves it elsewhere).
        for (int start = 0; start + 1 < count; start += Options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(Options.BatchSize, count - start);
            using var scope = NewDisposeScope();
            var indices = TrainingData.IndexTensor(order.AsSpan(start, n), data.device);
            optimizer.zero_grad();
            var (total, reconstruction, nll) = network.Losses(data.index_select(0, indices), labels.index_select(0, indices));
            total.backward();
            optimizer.step();
            reconstructionSum += reconstruction.detach().cpu().to_type(ScalarType.Float64).item<double>() * n;
            nllSum += nll.detach().cpu().to_type(ScalarType.Float64).item<double>() * n;
            seen += n;
        }
        return (reconstructionSum / seen, nllSum / seen);
    }

    /// <summary>Absorption standardised with the training labels; codes are already standardised by the encoder's batch norm.</summary>
    private MdnNormalization Normalization(float[] absorption)
    {
        double mean = absorption.Average(v => (double)v);
        double deviation = Math.Sqrt(absorption.Average(v => (v - mean) * (v - mean)));
        int l = Options.CodeDimension;
        return new MdnNormalization(
            mean, deviation > 1e-12 ? deviation : 1.0, new float[l], Enumerable.Repeat(1f, l).ToArray(), absorption.Min(), absorption.Max());
    }

    private static Tensor AbsorptionTensor(MdnInverseNetwork network, float[] absorption)
    {
        using var raw = tensor(absorption);
        using var noGrad = no_grad();
        return network.Mdn.NormalizeAbsorption(raw, nameof(absorption));
    }
}
