using System.Diagnostics;
using System.Text.Json;
using MlNetInverse.Baselines.Shared;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Mdn;
using MlNetInverse.Models.Persistence;
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
/// Runs the shared training loop (<see cref="CheckpointedTraining{TModel, TMetrics, TResult}"/>, without a
/// checkpoint): weights and shuffles come from <see cref="MdnInverseOptions.Seed"/> through seeded streams, so the
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
        int count = BaselineArguments.CheckTrainingData(images, absorption, Options.ImageSize);
        var epochs = progress is null ? null : new InlineProgress<MdnInverseEpochMetrics>(m =>
            progress.Report(new BaselineTrainingProgress("mdn-inverse", m.Epoch, Options.Epochs, m.ReconstructionLoss, double.NaN, m.Seconds)));
        return new Run(this, images, absorption, count).Train(epochs, cancellationToken);
    }

    /// <summary>The settings of the shared loop: this baseline's epochs, batch, learning rate (constant), seed, device and threads; no checkpoint.</summary>
    private sealed record LoopSettings : TrainingOptions
    {
        public LoopSettings(MdnInverseOptions options)
            : base(options.Epochs, options.BatchSize, options.LearningRate, checkpointIntervalSeconds: 0)
        {
            Seed = options.Seed;
            Device = options.Device;
            Threads = options.Threads;
        }
    }

    /// <summary>One call's run of the shared loop (<see cref="CheckpointedTraining{TModel, TMetrics, TResult}"/>): the images and standardised labels, the joint epochs.</summary>
    private sealed class Run : CheckpointedTraining<MdnInverseNetwork, MdnInverseEpochMetrics, MdnInverseTrainingResult>
    {
        private readonly MdnInverseTrainer _trainer;
        private readonly float[] _images;
        private readonly float[] _absorption;
        private readonly int _count;
        private readonly Stopwatch _total = Stopwatch.StartNew();
        private MdnInverseNetwork? _network;
        private optim.Optimizer? _optimizer;
        private Tensor? _data;
        private Tensor? _labels;

        public Run(MdnInverseTrainer trainer, float[] images, float[] absorption, int count)
            : base(new LoopSettings(trainer.Options), MdnInverseMethod.Kind)
        {
            _trainer = trainer;
            _images = images;
            _absorption = absorption;
            _count = count;
        }

        private MdnInverseOptions Options => _trainer.Options;

        /// <remarks>Never compared: this baseline writes no checkpoint.</remarks>
        protected override string Fingerprint() => JsonSerializer.Serialize(new
        {
            Options, Images = TrainingData.Hash(_images), Labels = TrainingData.Hash(_absorption),
        }, TrainingCheckpoint.Json);

        protected override MdnInverseNetwork CreateModel()
        {
            var network = new MdnInverseNetwork(Options, Options.Seed);
            network.Mdn.SetNormalization(_trainer.Normalization(_absorption));
            return network;
        }

        protected override MdnInverseNetwork LoadModel(Stream saved)
        {
            using var reader = new BinaryReader(saved);
            return ModelStream.Load<MdnInverseNetwork, MdnInverseOptions>(
                reader, MdnInverseMethod.Kind, MdnInverseMethod.FormatVersion, options => new MdnInverseNetwork(options, 0), ComputeDevice.Cpu);
        }

        protected override void SaveModel(MdnInverseNetwork model, BinaryWriter writer) =>
            ModelStream.Save(model, writer, MdnInverseMethod.Kind, MdnInverseMethod.FormatVersion, model.Options);

        protected override void Begin(MdnInverseNetwork model, optim.Optimizer optimizer, Device device)
        {
            _network = model;
            _optimizer = optimizer;
            _data = TrainingData.ImageTensor(_images, _count, Options.ImageSize, device);
            _labels = AbsorptionTensor(model, _absorption);
        }

        protected override MdnInverseEpochMetrics RunEpoch(int epoch, double learningRate, CancellationToken cancellationToken)
        {
            var watch = Stopwatch.StartNew();
            var (reconstruction, nll) = _trainer.RunEpoch(_network!, _optimizer!, _data!, _labels!, epoch, cancellationToken);
            return new MdnInverseEpochMetrics(epoch + 1, reconstruction / (Options.ImageSize * Options.ImageSize), nll, watch.Elapsed.TotalSeconds);
        }

        protected override MdnInverseTrainingResult Finish(MdnInverseNetwork model, TrainingRun<MdnInverseEpochMetrics> run) =>
            new(new MdnInverseMethod(model), run.History, _total.Elapsed.TotalSeconds);

        protected override void End()
        {
            _data?.Dispose();
            _labels?.Dispose();
        }
    }

    /// <summary>One epoch over all images: (mean reconstruction loss summed over pixels, mean code NLL).</summary>
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
            total.Backpropagate();
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
