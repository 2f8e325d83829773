using System.Diagnostics;
using System.Text.Json;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Mdn;

/// <summary>
/// Trains a <see cref="MixtureDensityNetwork"/> on (absorption, latent) pairs by minimising the mixture negative
/// log-likelihood (paper eq. 7) with Adam. A seeded shuffle holds out <see cref="SupervisedTrainingOptions.HeldOutFraction"/>
/// of the pairs before anything is learned (the normalisation included), and every epoch reports the held-out NLL
/// next to the training NLL.
/// </summary>
/// <remarks>
/// Runs the shared checkpointed loop (<see cref="CheckpointedTraining{TModel, TMetrics, TResult}"/>): weights, split
/// and shuffles derive from the seed, so the same seed on the CPU gives bit-identical weights; the checkpoint holds the
/// network with its normalisation, and a resumed run ends with the same weights as an uninterrupted one.
/// </remarks>
public sealed class MdnTrainer : SupervisedTrainer<MdnOptions, MdnTrainingOptions>
{
    /// <summary>Kind name written into checkpoints.</summary>
    public const string CheckpointKind = nameof(MdnTrainer);

    private const int EvaluationBatchSize = 512;

    /// <summary>Creates a trainer; <paramref name="modelOptions"/> with LatentDimension 0 takes it from the data.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public MdnTrainer(MdnOptions modelOptions, MdnTrainingOptions trainingOptions)
        : base(modelOptions, trainingOptions, options => options.Validate(), "The MDN (absorption-latent pairs)")
    {
    }

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
        return new Run(this, modelOptions, absorption, latents).Train(progress, cancellationToken);
    }

    /// <summary>One call's run of the shared loop: the split, the normalised pairs and the NLL epochs.</summary>
    private sealed class Run : CheckpointedTraining<MixtureDensityNetwork, MdnEpochMetrics, MdnTrainingResult>
    {
        private readonly MdnTrainingOptions _options;
        private readonly MdnOptions _modelOptions;
        private readonly float[] _absorption;
        private readonly float[] _latents;
        private readonly int[] _heldOut;
        private readonly int[] _training;
        private MixtureDensityNetwork? _model;
        private optim.Optimizer? _optimizer;
        private Tensor? _x;
        private Tensor? _y;
        private double _logJacobian;

        public Run(MdnTrainer trainer, MdnOptions modelOptions, float[] absorption, float[] latents)
            : base(trainer.Options, CheckpointKind)
        {
            _options = trainer.Options;
            _modelOptions = modelOptions;
            _absorption = absorption;
            _latents = latents;
            (_heldOut, _training) = trainer.Split(absorption.Length);
        }

        protected override string Fingerprint() => JsonSerializer.Serialize(new
        {
            Model = _modelOptions, _options.Seed, _options.BatchSize, _options.LearningRate, _options.FinalLearningRateFraction,
            _options.HeldOutFraction, _options.Epochs, Absorption = TrainingData.Hash(_absorption), Latents = TrainingData.Hash(_latents),
        }, TrainingCheckpoint.Json);

        protected override MixtureDensityNetwork CreateModel()
        {
            var model = new MixtureDensityNetwork(_modelOptions, _options.Seed);
            model.SetNormalization(MdnNormalization.Fit(_absorption, _latents, _modelOptions.LatentDimension, _training));
            return model;
        }

        protected override MixtureDensityNetwork LoadModel(Stream saved) => MixtureDensityNetwork.Load(saved);

        protected override void SaveModel(MixtureDensityNetwork model, BinaryWriter writer) => model.Save(writer);

        protected override void Begin(MixtureDensityNetwork model, optim.Optimizer optimizer, Device device)
        {
            _model = model;
            _optimizer = optimizer;
            (_x, _y) = NormalizedPairs(model, _absorption, _latents, _modelOptions.LatentDimension);
            _logJacobian = LogJacobian(model);
        }

        protected override MdnEpochMetrics RunEpoch(int epoch, double learningRate, CancellationToken cancellationToken)
        {
            var watch = Stopwatch.StartNew();
            double trainingNll = TrainEpoch(epoch, cancellationToken) + _logJacobian;
            double heldOutNll = MeanNll(_model!, _x!, _y!, _heldOut) + _logJacobian;
            return new MdnEpochMetrics(epoch + 1, trainingNll, heldOutNll, learningRate, watch.Elapsed.TotalSeconds);
        }

        protected override MdnTrainingResult Finish(MixtureDensityNetwork model, TrainingRun<MdnEpochMetrics> run)
        {
            // The NLLs are the trained diagonal mixture's; the noise factor only shapes the draws.
            if (model.Options.CorrelatedNoise && model.Options.NoiseBands > 1)
            {
                var (factors, centres) = MdnResidualCorrelation.FitBands(model, _x!, _y!, _training, model.Options.NoiseBands);
                using (factors) model.SetNoiseFactors(factors, centres);
            }
            else if (model.Options.CorrelatedNoise)
                using (var factor = MdnResidualCorrelation.Fit(model, _x!, _y!, _training)) model.SetNoiseFactor(factor);
            double finalHeldOut = MeanNll(model, _x!, _y!, _heldOut) + _logJacobian;
            double finalTraining = MeanNll(model, _x!, _y!, _training) + _logJacobian;
            return new MdnTrainingResult(model, run.History, finalHeldOut, finalTraining, _heldOut, run.Device, run.Notice, run.ResumedFromEpoch);
        }

        protected override void End()
        {
            _x?.Dispose();
            _y?.Dispose();
        }

        /// <summary>One epoch over the training split; returns the mean NLL per target in normalised units.</summary>
        private double TrainEpoch(int epoch, CancellationToken cancellationToken)
        {
            var (model, optimizer, x, y, training) = (_model!, _optimizer!, _x!, _y!, _training);
            model.train();
            var permutation = new SeededRandom(_options.Seed, SeededRandom.Purpose.Shuffle, epoch).Permutation(training.Length);
            var order = permutation.Select(i => training[i]).ToArray();
            double sum = 0;
            for (int start = 0; start < order.Length; start += _options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int n = Math.Min(_options.BatchSize, order.Length - start);
                using var scope = NewDisposeScope();
                var indices = TrainingData.IndexTensor(order.AsSpan(start, n), x.device);
                optimizer.zero_grad();
                var loss = MdnLoss.NegativeLogLikelihood(model.call(x.index_select(0, indices)), y.index_select(0, indices));
                loss.Backpropagate();
                optimizer.step();
                sum += loss.detach().cpu().to_type(ScalarType.Float64).item<double>() * n;
            }
            return sum / order.Length;
        }
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
