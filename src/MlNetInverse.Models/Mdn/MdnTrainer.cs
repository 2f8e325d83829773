using System.Diagnostics;
using System.Text.Json;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Mdn;

/// <summary>
/// Trains a <see cref="MixtureDensityNetwork"/> on (absorption, latent) pairs by minimising the mixture negative
/// log-likelihood (paper eq. 7) with Adam. A seeded shuffle holds out <see cref="MdnTrainingOptions.HeldOutFraction"/>
/// of the pairs before anything is learned (the normalisation included), and every epoch reports the held-out NLL
/// next to the training NLL.
/// </summary>
/// <remarks>
/// Reproducible: weights, split and shuffles derive from <see cref="MdnTrainingOptions.Seed"/>, so the same seed on the
/// CPU gives bit-identical weights. With a <see cref="MdnTrainingOptions.CheckpointPath"/> the full state (network with
/// its normalisation, Adam moments, epoch, history) is written atomically after an epoch at most every
/// <see cref="MdnTrainingOptions.CheckpointIntervalSeconds"/> and after the last one, and a later run resumes from it,
/// ending with the same weights as an uninterrupted run. Cancellation is checked before every step; the checkpoint then
/// holds the last epoch written and <see cref="OperationCanceledException"/> is thrown.
/// </remarks>
public sealed class MdnTrainer
{
    /// <summary>Kind name written into checkpoints.</summary>
    public const string CheckpointKind = nameof(MdnTrainer);

    private const int EvaluationBatchSize = 512;

    /// <summary>Creates a trainer.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public MdnTrainer(MdnOptions modelOptions, MdnTrainingOptions trainingOptions)
    {
        ArgumentNullException.ThrowIfNull(modelOptions);
        ArgumentNullException.ThrowIfNull(trainingOptions);
        modelOptions.Validate();
        trainingOptions.Validate();
        ModelOptions = modelOptions;
        Options = trainingOptions;
    }

    /// <summary>Architecture of the network to train (LatentDimension 0: taken from the data).</summary>
    public MdnOptions ModelOptions { get; }

    /// <summary>Training settings.</summary>
    public MdnTrainingOptions Options { get; }

    /// <summary>Which pairs are held out for <paramref name="count"/> pairs: a seeded shuffle's first share, sorted.</summary>
    /// <exception cref="ArgumentException">Fewer than 2 pairs.</exception>
    public int[] HeldOutIndices(int count) => TrainingData.HeldOutIndices(count, Options.HeldOutFraction, Options.Seed, "The MDN (absorption-latent pairs)");

    /// <summary>Trains on <paramref name="absorption"/> (N values) paired with <paramref name="latents"/> (N * L values, target-major).</summary>
    /// <param name="absorption">Raw absorption of each target (N values).</param>
    /// <param name="latents">Raw latent of each target, flattened: target i's L values at i * L.</param>
    /// <param name="progress">Receives each finished epoch's metrics (after its checkpoint is written).</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <exception cref="ArgumentException">Bad absorption or latents; the message names the problem.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint belongs to another configuration or data, or CUDA is missing.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the checkpoint (if any) holds the last finished epoch.</exception>
    public MdnTrainingResult Train(
        float[] absorption, float[] latents, IProgress<MdnEpochMetrics>? progress = null, CancellationToken cancellationToken = default)
    {
        int l = MdnTrainingData.CheckPairs(absorption, latents, ModelOptions.LatentDimension);
        var modelOptions = ModelOptions with { LatentDimension = l };
        modelOptions.ValidateForModel();
        int count = absorption.Length;
        var heldOut = HeldOutIndices(count);
        var heldOutSet = heldOut.ToHashSet();
        var training = Enumerable.Range(0, count).Where(i => !heldOutSet.Contains(i)).ToArray();

        var device = DeviceResolver.Resolve(Options.Device, out var notice);
        using var threads = TorchThreadScope.UnlessZero(Options.Threads);
        string fingerprint = JsonSerializer.Serialize(new
        {
            Model = modelOptions, Options.Seed, Options.BatchSize, Options.LearningRate, Options.FinalLearningRateFraction,
            Options.HeldOutFraction, Options.Epochs, Absorption = TrainingData.Hash(absorption), Latents = TrainingData.Hash(latents),
        }, VqVaeTrainer.Json);
        var checkpoint = Options.CheckpointPath is { } path ? TrainingCheckpoint.ReadIfExists(path, CheckpointKind) : null;
        if (checkpoint is not null && checkpoint.Fingerprint != fingerprint)
            throw new InvalidOperationException(
                $"Checkpoint '{Options.CheckpointPath}' was written for other model options, training options or data; " +
                "delete it or choose another CheckpointPath to start over.");

        MixtureDensityNetwork model;
        if (checkpoint is null)
        {
            model = new MixtureDensityNetwork(modelOptions, Options.Seed);
            model.SetNormalization(MdnNormalization.Fit(absorption, latents, l, training));
        }
        else
        {
            model = MixtureDensityNetwork.Load(new MemoryStream(checkpoint.Model));
        }
        var history = checkpoint is null ? new List<MdnEpochMetrics>() : JsonSerializer.Deserialize<List<MdnEpochMetrics>>(checkpoint.History, VqVaeTrainer.Json) ?? [];
        int resumedFrom = checkpoint?.CompletedEpochs ?? 0;
        try
        {
            model.to(device);
            using var optimizer = new HeldScalarAdam(model.parameters(), Options.LearningRate);
            if (checkpoint is not null)
            {
                using var reader = new BinaryReader(new MemoryStream(checkpoint.Optimizer));
                optimizer.load_state_dict(reader);
                optimizer.to(device);
            }
            var (inputs, targets) = NormalizedPairs(model, absorption, latents, l);
            using var x = inputs;
            using var y = targets;
            double logJacobian = LogJacobian(model);
            var sinceCheckpoint = Stopwatch.StartNew();

            for (int epoch = resumedFrom; epoch < Options.Epochs; epoch++)
            {
                var watch = Stopwatch.StartNew();
                double learningRate = Options.LearningRateAt(epoch);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
                double trainingNll = RunEpoch(model, optimizer, x, y, training, epoch, cancellationToken) + logJacobian;
                double heldOutNll = MeanNll(model, x, y, heldOut) + logJacobian;
                var metrics = new MdnEpochMetrics(epoch + 1, trainingNll, heldOutNll, learningRate, watch.Elapsed.TotalSeconds);
                history.Add(metrics);
                bool due = epoch + 1 == Options.Epochs || sinceCheckpoint.Elapsed.TotalSeconds >= Options.CheckpointIntervalSeconds;
                if (Options.CheckpointPath is { } checkpointPath && due)
                {
                    new TrainingCheckpoint(
                        CheckpointKind, fingerprint, epoch + 1, JsonSerializer.Serialize(history, VqVaeTrainer.Json), string.Empty,
                        TrainingCheckpoint.Capture(model.Save),
                        TrainingCheckpoint.Capture(optimizer.save_state_dict)).Write(checkpointPath);
                    sinceCheckpoint.Restart();
                }
                progress?.Report(metrics);
            }

            model.eval();
            double finalHeldOut = MeanNll(model, x, y, heldOut) + logJacobian;
            double finalTraining = MeanNll(model, x, y, training) + logJacobian;
            return new MdnTrainingResult(model, history, finalHeldOut, finalTraining, heldOut, device.ToString(), notice, resumedFrom);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>One epoch over the training split; returns the mean NLL per target in normalised units.</summary>
    private double RunEpoch(
        MixtureDensityNetwork model, optim.Optimizer optimizer, Tensor x, Tensor y, int[] training, int epoch, CancellationToken cancellationToken)
    {
        model.train();
        var permutation = new SeededRandom(Options.Seed, SeededRandom.Purpose.Shuffle, epoch).Permutation(training.Length);
        var order = permutation.Select(i => training[i]).ToArray();
        double sum = 0;
        for (int start = 0; start < order.Length; start += Options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(Options.BatchSize, order.Length - start);
            using var scope = NewDisposeScope();
            var indices = TrainingData.IndexTensor(order.AsSpan(start, n), x.device);
            optimizer.zero_grad();
            var loss = MdnLoss.NegativeLogLikelihood(model.call(x.index_select(0, indices)), y.index_select(0, indices));
            loss.backward();
            optimizer.step();
            sum += loss.detach().cpu().to_type(ScalarType.Float64).item<double>() * n;
        }
        return sum / order.Length;
    }

    /// <summary>Mean NLL per target in normalised units over <paramref name="rows"/> (no gradient, batched).</summary>
    private static double MeanNll(MixtureDensityNetwork model, Tensor x, Tensor y, int[] rows)
    {
        using var noGrad = no_grad();
        double sum = 0;
        for (int start = 0; start < rows.Length; start += EvaluationBatchSize)
        {
            int n = Math.Min(EvaluationBatchSize, rows.Length - start);
            using var scope = NewDisposeScope();
            var indices = TrainingData.IndexTensor(rows.AsSpan(start, n), x.device);
            var logLikelihood = MdnLoss.LogLikelihood(model.call(x.index_select(0, indices)), y.index_select(0, indices));
            sum -= logLikelihood.to_type(ScalarType.Float64).sum().cpu().item<double>();
        }
        return sum / rows.Length;
    }

    /// <summary>All pairs in the network's normalised units, on its device: absorption [N, 1] and latents [N, L].</summary>
    private static (Tensor Absorption, Tensor Latents) NormalizedPairs(MixtureDensityNetwork model, float[] absorption, float[] latents, int l)
    {
        using var rawAbsorption = tensor(absorption);
        using var rawLatents = tensor(latents, [absorption.Length, l]);
        using var noGrad = no_grad();
        return (model.NormalizeAbsorption(rawAbsorption, nameof(absorption)), model.NormalizeLatents(rawLatents, absorption.Length, nameof(latents)));
    }

    private static double LogJacobian(MixtureDensityNetwork model)
    {
        using var value = model.LogJacobian();
        using var cpu = value.cpu().to_type(ScalarType.Float64);
        return cpu.item<double>();
    }
}
