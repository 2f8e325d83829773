using System.Diagnostics;
using System.Text.Json;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Training;

/// <summary>
/// Trains an <see cref="AbsorptionSurrogateModel"/> on labelled images. A seeded shuffle holds out
/// <see cref="SurrogateTrainingOptions.HeldOutFraction"/> of the images before anything is learned (label
/// standardization included); the result reports held-out and training errors separately. Same seeding, checkpoint,
/// resume and cancellation behaviour as <see cref="VqVaeTrainer"/>.
/// </summary>
public sealed class SurrogateTrainer
{
    /// <summary>Kind name written into checkpoints.</summary>
    public const string CheckpointKind = nameof(SurrogateTrainer);

    private const int EvaluationBatchSize = 256;

    /// <summary>Creates a trainer.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public SurrogateTrainer(AbsorptionSurrogateOptions modelOptions, SurrogateTrainingOptions trainingOptions)
    {
        ArgumentNullException.ThrowIfNull(modelOptions);
        ArgumentNullException.ThrowIfNull(trainingOptions);
        modelOptions.Validate();
        trainingOptions.Validate();
        ModelOptions = modelOptions;
        Options = trainingOptions;
    }

    /// <summary>Architecture of the surrogate to train.</summary>
    public AbsorptionSurrogateOptions ModelOptions { get; }

    /// <summary>Training settings.</summary>
    public SurrogateTrainingOptions Options { get; }

    /// <summary>Which images are held out for <paramref name="count"/> images: a seeded shuffle's first share, sorted.</summary>
    public int[] HeldOutIndices(int count) => TrainingData.HeldOutIndices(count, Options.HeldOutFraction, Options.Seed, "The surrogate (labelled images)");

    /// <summary>Trains on <paramref name="images"/> (N * S * S pixels in [0, 1]) labelled with <paramref name="absorption"/> (N values).</summary>
    /// <exception cref="ArgumentException">Bad images or labels; the message names the problem.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint belongs to another configuration or data, or CUDA is missing.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the checkpoint (if any) holds the last finished epoch.</exception>
    public SurrogateTrainingResult Train(
        float[] images, float[] absorption, IProgress<SurrogateEpochMetrics>? progress = null, CancellationToken cancellationToken = default)
    {
        int size = ModelOptions.ImageSize;
        int count = TrainingData.CountImages(images, size, nameof(images));
        TrainingData.CheckLabels(absorption, count, nameof(absorption));
        var heldOut = HeldOutIndices(count);
        var heldOutSet = heldOut.ToHashSet();
        var training = Enumerable.Range(0, count).Where(i => !heldOutSet.Contains(i)).ToArray();
        var heldOutLabels = heldOut.Select(i => absorption[i]).ToArray();
        var trainingLabels = training.Select(i => absorption[i]).ToArray();

        var device = DeviceResolver.Resolve(Options.Device, out var notice);
        using var threads = TorchThreadScope.UnlessZero(Options.Threads);
        string fingerprint = JsonSerializer.Serialize(new
        {
            Model = ModelOptions, Options.Seed, Options.BatchSize, Options.LearningRate, Options.FinalLearningRateFraction,
            Options.HeldOutFraction, Options.Augment, Epochs = Options.Epochs,
            Images = TrainingData.Hash(images), Labels = TrainingData.Hash(absorption),
        }, VqVaeTrainer.Json);
        var checkpoint = Options.CheckpointPath is { } path ? TrainingCheckpoint.ReadIfExists(path, CheckpointKind) : null;
        if (checkpoint is not null && checkpoint.Fingerprint != fingerprint)
            throw new InvalidOperationException(
                $"Checkpoint '{Options.CheckpointPath}' was written for other model options, training options or data; " +
                "delete it or choose another CheckpointPath to start over.");

        AbsorptionSurrogateModel model;
        if (checkpoint is null)
        {
            model = new AbsorptionSurrogateModel(ModelOptions, Options.Seed);
            var (mean, deviation) = MeanAndDeviation(trainingLabels);
            model.SetLabelScale(mean, deviation);
        }
        else
        {
            model = AbsorptionSurrogateModel.Load(new MemoryStream(checkpoint.Model));
        }
        var history = checkpoint is null ? new List<SurrogateEpochMetrics>() : JsonSerializer.Deserialize<List<SurrogateEpochMetrics>>(checkpoint.History, VqVaeTrainer.Json) ?? [];
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
            using var data = TrainingData.ImageTensor(images, count, size, device);
            using var labels = TrainingData.LabelTensor(absorption, device);
            double scale = model.LabelStandardDeviation;

            for (int epoch = resumedFrom; epoch < Options.Epochs; epoch++)
            {
                var watch = Stopwatch.StartNew();
                double learningRate = Options.LearningRateAt(epoch);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
                double loss = RunEpoch(model, optimizer, data, labels, training, scale, epoch, cancellationToken);
                var evaluation = SurrogateEvaluation.FromPredictions(
                    SurrogateEvaluation.Predict(model, data, heldOut, EvaluationBatchSize), heldOutLabels);
                var metrics = new SurrogateEpochMetrics(epoch + 1, loss, evaluation.MeanAbsoluteError, evaluation.RSquared, learningRate, watch.Elapsed.TotalSeconds);
                history.Add(metrics);
                if (Options.CheckpointPath is { } checkpointPath)
                {
                    new TrainingCheckpoint(
                        CheckpointKind, fingerprint, epoch + 1, JsonSerializer.Serialize(history, VqVaeTrainer.Json), string.Empty,
                        TrainingCheckpoint.Capture(model.Save),
                        TrainingCheckpoint.Capture(optimizer.save_state_dict)).Write(checkpointPath);
                }
                progress?.Report(metrics);
            }

            model.eval();
            var heldOutResult = SurrogateEvaluation.FromPredictions(SurrogateEvaluation.Predict(model, data, heldOut, EvaluationBatchSize), heldOutLabels);
            var trainingResult = SurrogateEvaluation.FromPredictions(SurrogateEvaluation.Predict(model, data, training, EvaluationBatchSize), trainingLabels);
            return new SurrogateTrainingResult(model, history, heldOutResult, trainingResult, heldOut, device.ToString(), notice, resumedFrom);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>One epoch over the training split; returns the mean squared error on standardized labels.</summary>
    private double RunEpoch(
        AbsorptionSurrogateModel model, optim.Optimizer optimizer, Tensor data, Tensor labels, int[] training, double scale, int epoch, CancellationToken cancellationToken)
    {
        model.train();
        var permutation = new SeededRandom(Options.Seed, SeededRandom.Purpose.Shuffle, epoch).Permutation(training.Length);
        var order = permutation.Select(i => training[i]).ToArray();
        double sum = 0;
        for (int start = 0, step = 0; start < order.Length; start += Options.BatchSize, step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(Options.BatchSize, order.Length - start);
            using var scope = NewDisposeScope();
            var indices = TrainingData.IndexTensor(order.AsSpan(start, n), data.device);
            var batch = data.index_select(0, indices);
            if (Options.Augment) batch = Symmetry(batch, new SeededRandom(Options.Seed, SeededRandom.Purpose.Augmentation, epoch, step).NextInt(8));
            optimizer.zero_grad();
            var loss = model.call(batch).sub(labels.index_select(0, indices)).div(scale).pow(2).mean();
            loss.backward();
            optimizer.step();
            sum += loss.detach().cpu().to_type(ScalarType.Float64).item<double>() * n;
        }
        return sum / order.Length;
    }

    /// <summary>One of the 8 symmetries of the square: bit 0 transposes, bit 1 mirrors x, bit 2 mirrors y.</summary>
    internal static Tensor Symmetry(Tensor batch, int symmetry)
    {
        if ((symmetry & 1) != 0) batch = batch.transpose(2, 3);
        if ((symmetry & 2) != 0) batch = batch.flip(2);
        if ((symmetry & 4) != 0) batch = batch.flip(3);
        return batch.contiguous();
    }

    private static (double Mean, double Deviation) MeanAndDeviation(float[] values)
    {
        double mean = values.Average(v => (double)v);
        double variance = values.Average(v => (v - mean) * (v - mean));
        // A constant label set still needs a positive scale; any scale then fits it exactly.
        return (mean, variance > 0 ? Math.Sqrt(variance) : 1.0);
    }
}
