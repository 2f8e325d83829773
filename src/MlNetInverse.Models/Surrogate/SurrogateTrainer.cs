using System.Diagnostics;
using System.Text.Json;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Surrogate;

/// <summary>
/// Trains an <see cref="AbsorptionSurrogateModel"/> on labelled images. A seeded shuffle holds out
/// <see cref="SupervisedTrainingOptions.HeldOutFraction"/> of the images before anything is learned (label
/// standardization included); the result reports held-out and training errors separately. Runs the shared checkpointed
/// loop (<see cref="CheckpointedTraining{TModel, TMetrics, TResult}"/>): seeding, checkpoint, resume and cancellation as
/// there.
/// </summary>
public sealed class SurrogateTrainer : SupervisedTrainer<AbsorptionSurrogateOptions, SurrogateTrainingOptions>
{
    /// <summary>Kind name written into checkpoints.</summary>
    public const string CheckpointKind = nameof(SurrogateTrainer);

    private const int EvaluationBatchSize = 256;

    /// <summary>Creates a trainer.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public SurrogateTrainer(AbsorptionSurrogateOptions modelOptions, SurrogateTrainingOptions trainingOptions)
        : base(modelOptions, trainingOptions, options => options.Validate(), "The surrogate (labelled images)")
    {
    }

    /// <summary>Trains on <paramref name="images"/> (N * S * S pixels in [0, 1]) labelled with <paramref name="absorption"/> (N values).</summary>
    /// <exception cref="ArgumentException">Bad images or labels; the message names the problem.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint belongs to another configuration or data, or CUDA is missing.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the checkpoint (if any) holds the last finished epoch.</exception>
    public SurrogateTrainingResult Train(
        float[] images, float[] absorption, IProgress<SurrogateEpochMetrics>? progress = null, CancellationToken cancellationToken = default)
    {
        int count = TrainingData.CountImages(images, ModelOptions.ImageSize, nameof(images));
        TrainingData.CheckLabels(absorption, count, nameof(absorption));
        return new Run(this, images, absorption, count).Train(progress, cancellationToken);
    }

    /// <summary>One call's run of the shared loop: the split, the label scale and the (augmented) squared-error epochs.</summary>
    private sealed class Run : CheckpointedTraining<AbsorptionSurrogateModel, SurrogateEpochMetrics, SurrogateTrainingResult>
    {
        private readonly SurrogateTrainingOptions _options;
        private readonly AbsorptionSurrogateOptions _modelOptions;
        private readonly float[] _images;
        private readonly float[] _absorption;
        private readonly int _count;
        private readonly int[] _heldOut;
        private readonly int[] _training;
        private readonly float[] _heldOutLabels;
        private readonly float[] _trainingLabels;
        private AbsorptionSurrogateModel? _model;
        private optim.Optimizer? _optimizer;
        private Tensor? _data;
        private Tensor? _labels;
        private double _scale;

        public Run(SurrogateTrainer trainer, float[] images, float[] absorption, int count)
            : base(trainer.Options, CheckpointKind)
        {
            _options = trainer.Options;
            _modelOptions = trainer.ModelOptions;
            _images = images;
            _absorption = absorption;
            _count = count;
            (_heldOut, _training) = trainer.Split(count);
            _heldOutLabels = _heldOut.Select(i => absorption[i]).ToArray();
            _trainingLabels = _training.Select(i => absorption[i]).ToArray();
        }

        protected override string Fingerprint() => JsonSerializer.Serialize(new
        {
            Model = _modelOptions, _options.Seed, _options.BatchSize, _options.LearningRate, _options.FinalLearningRateFraction,
            _options.HeldOutFraction, _options.Augment, Epochs = _options.Epochs,
            Images = TrainingData.Hash(_images), Labels = TrainingData.Hash(_absorption),
        }, TrainingCheckpoint.Json);

        protected override AbsorptionSurrogateModel CreateModel()
        {
            var model = new AbsorptionSurrogateModel(_modelOptions, _options.Seed);
            var (mean, deviation) = MeanAndDeviation(_trainingLabels);
            model.SetLabelScale(mean, deviation);
            return model;
        }

        protected override AbsorptionSurrogateModel LoadModel(Stream saved) => AbsorptionSurrogateModel.Load(saved);

        protected override void SaveModel(AbsorptionSurrogateModel model, BinaryWriter writer) => model.Save(writer);

        protected override void Begin(AbsorptionSurrogateModel model, optim.Optimizer optimizer, Device device)
        {
            _model = model;
            _optimizer = optimizer;
            _data = TrainingData.ImageTensor(_images, _count, _modelOptions.ImageSize, device);
            _labels = TrainingData.LabelTensor(_absorption, device);
            _scale = model.LabelStandardDeviation;
        }

        protected override SurrogateEpochMetrics RunEpoch(int epoch, double learningRate, CancellationToken cancellationToken)
        {
            var watch = Stopwatch.StartNew();
            double loss = TrainEpoch(epoch, cancellationToken);
            var evaluation = SurrogateEvaluation.FromPredictions(
                SurrogateEvaluation.Predict(_model!, _data!, _heldOut, EvaluationBatchSize), _heldOutLabels);
            return new SurrogateEpochMetrics(epoch + 1, loss, evaluation.MeanAbsoluteError, evaluation.RSquared, learningRate, watch.Elapsed.TotalSeconds);
        }

        protected override SurrogateTrainingResult Finish(AbsorptionSurrogateModel model, TrainingRun<SurrogateEpochMetrics> run)
        {
            var heldOut = SurrogateEvaluation.FromPredictions(SurrogateEvaluation.Predict(model, _data!, _heldOut, EvaluationBatchSize), _heldOutLabels);
            var training = SurrogateEvaluation.FromPredictions(SurrogateEvaluation.Predict(model, _data!, _training, EvaluationBatchSize), _trainingLabels);
            return new SurrogateTrainingResult(model, run.History, heldOut, training, _heldOut, run.Device, run.Notice, run.ResumedFromEpoch);
        }

        protected override void End()
        {
            _data?.Dispose();
            _labels?.Dispose();
        }

        /// <summary>One epoch over the training split; returns the mean squared error on standardized labels.</summary>
        private double TrainEpoch(int epoch, CancellationToken cancellationToken)
        {
            var (model, optimizer, data, labels, training) = (_model!, _optimizer!, _data!, _labels!, _training);
            model.train();
            var permutation = new SeededRandom(_options.Seed, SeededRandom.Purpose.Shuffle, epoch).Permutation(training.Length);
            var order = permutation.Select(i => training[i]).ToArray();
            double sum = 0;
            for (int start = 0, step = 0; start < order.Length; start += _options.BatchSize, step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int n = Math.Min(_options.BatchSize, order.Length - start);
                using var scope = NewDisposeScope();
                var indices = TrainingData.IndexTensor(order.AsSpan(start, n), data.device);
                var batch = data.index_select(0, indices);
                if (_options.Augment) batch = Symmetry(batch, new SeededRandom(_options.Seed, SeededRandom.Purpose.Augmentation, epoch, step).NextInt(8));
                optimizer.zero_grad();
                var loss = model.call(batch).sub(labels.index_select(0, indices)).div(HeldScalar.Of(_scale)).pow(HeldScalar.Of(2)).mean();
                loss.Backpropagate();
                optimizer.step();
                sum += loss.detach().cpu().to_type(ScalarType.Float64).item<double>() * n;
            }
            return sum / order.Length;
        }
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
