using System.Diagnostics;
using MlNetInverse.Models.Quantization;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.Training;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.VqVae;

/// <summary>One pass over the training images: shuffled batches, one Adam step each, metrics summed over the epoch.</summary>
internal sealed class VqVaeEpoch
{
    private readonly VqVaeModel _model;
    private readonly optim.Optimizer _optimizer;
    private readonly VqVaeTrainingOptions _options;
    private readonly Tensor _images;
    private readonly Tensor? _labels;
    private readonly AbsorptionSurrogateModel? _surrogate;
    private readonly int _count;

    /// <param name="model">The model being trained (put in training mode by <see cref="Run"/>).</param>
    /// <param name="optimizer">Adam over the model's parameters.</param>
    /// <param name="options">Loss weights, batch size and seed.</param>
    /// <param name="images">All training images [N, 1, S, S] on the training device.</param>
    /// <param name="labels">Absorption labels on the training device, needed for <see cref="AbsorptionReference.Label"/>.</param>
    /// <param name="surrogate">Frozen surrogate for the absorption loss, or null to leave A out.</param>
    public VqVaeEpoch(VqVaeModel model, optim.Optimizer optimizer, VqVaeTrainingOptions options, Tensor images, Tensor? labels, AbsorptionSurrogateModel? surrogate)
    {
        _model = model;
        _optimizer = optimizer;
        _options = options;
        _images = images;
        _labels = labels;
        _surrogate = surrogate;
        _count = (int)images.shape[0];
    }

    /// <summary>Trains zero-based epoch <paramref name="epoch"/>; cancellation is checked before every step.</summary>
    public EpochMetrics Run(int epoch, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var device = _images.device;
        int codebookSize = _model.Options.CodebookSize;
        var order = new SeededRandom(_options.Seed, SeededRandom.Purpose.Shuffle, epoch).Permutation(_count);
        double reconstruction = 0, accuracy = 0, perplexity = 0, absorption = 0, codebook = 0, commitment = 0, total = 0;
        int steps = 0;
        using var codeCounts = zeros(codebookSize, dtype: ScalarType.Int64, device: device);
        _model.train();

        for (int start = 0; start < _count; start += _options.BatchSize, steps++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int size = Math.Min(_options.BatchSize, _count - start);
            using var scope = NewDisposeScope();
            var batchIndices = TrainingData.IndexTensor(order.AsSpan(start, size), device);
            var batch = _images.index_select(0, batchIndices);

            _optimizer.zero_grad();
            var output = _model.call(batch);
            var quantizer = output.Quantizer;
            var reconstructionLoss = nn.functional.mse_loss(output.Reconstruction, batch);
            var loss = reconstructionLoss.mul(HeldScalar.Of(_options.Alpha)).Plus(quantizer.CommitmentLoss);
            if (_model.Options.Update == QuantizerUpdate.CodebookLoss) loss = loss.Plus(quantizer.CodebookLoss.mul(HeldScalar.Of(_options.Theta)));
            Tensor? absorptionLoss = null;
            if (_surrogate is not null)
            {
                absorptionLoss = AbsorptionLoss(output.Reconstruction, batch, batchIndices, epoch, steps);
                loss = loss.Plus(absorptionLoss.mul(HeldScalar.Of(_options.Beta)));
            }
            loss.Backpropagate();
            _optimizer.step();

            using (no_grad())
            {
                codeCounts.PlusInPlace(quantizer.Indices.reshape(-1).bincount(null, codebookSize));
                var pixelAccuracy = output.Reconstruction.gt(HeldScalar.Of(0.5)).eq(batch.gt(HeldScalar.Of(0.5))).to_type(ScalarType.Float32).mean();
                reconstruction += Value(reconstructionLoss) * size;
                accuracy += Value(pixelAccuracy) * size;
                codebook += Value(quantizer.CodebookLoss) * size;
                commitment += Value(quantizer.CommitmentLoss) * size;
                total += Value(loss) * size;
                perplexity += Value(quantizer.Perplexity);
                if (absorptionLoss is not null) absorption += Value(absorptionLoss) * size;
            }
        }

        int codesUsed = (int)codeCounts.gt(HeldScalar.Of(0)).sum().cpu().item<long>();
        double seconds = watch.Elapsed.TotalSeconds;
        return new EpochMetrics(
            Epoch: epoch + 1,
            ReconstructionError: reconstruction / _count,
            PixelAccuracy: accuracy / _count,
            Perplexity: perplexity / Math.Max(1, steps),
            CodesUsed: codesUsed,
            AbsorptionLoss: _surrogate is null ? null : absorption / _count,
            CodebookLoss: codebook / _count,
            CommitmentLoss: commitment / _count,
            Loss: total / _count,
            ImagesPerSecond: _count / Math.Max(seconds, 1e-9),
            Seconds: seconds);
    }

    /// <summary>
    /// A = mean |s(x_hat_j) - ref_j| over max(1, b / divisor) random images j of the batch (seeded by epoch and step);
    /// ref is s(x_j) (no gradient) or the label of x_j, see <see cref="AbsorptionReference"/>.
    /// </summary>
    private Tensor AbsorptionLoss(Tensor reconstruction, Tensor batch, Tensor batchIndices, int epoch, int step)
    {
        int size = (int)batch.shape[0];
        int subsetSize = Math.Max(1, size / _options.AbsorptionSubsetDivisor);
        var subset = new SeededRandom(_options.Seed, SeededRandom.Purpose.AbsorptionSubset, epoch, step).Sample(size, subsetSize);
        var subsetIndices = TrainingData.IndexTensor(subset, batch.device);
        var predicted = _surrogate!.call(reconstruction.index_select(0, subsetIndices));
        Tensor reference;
        if (_options.AbsorptionReference == AbsorptionReference.Label)
        {
            reference = _labels!.index_select(0, batchIndices.index_select(0, subsetIndices));
        }
        else
        {
            using var noGrad = no_grad();
            reference = _surrogate.call(batch.index_select(0, subsetIndices));
        }
        return predicted.sub(reference).abs().mean();
    }

    private static double Value(Tensor scalar) => scalar.detach().cpu().to_type(ScalarType.Float64).item<double>();
}
