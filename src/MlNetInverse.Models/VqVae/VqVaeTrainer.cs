using System.Text.Json;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Physics.Runtime;
using MlNetInverse.Models.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.VqVae;

/// <summary>
/// Trains a <see cref="VqVaeModel"/> with Adam on the loss of the paper (eq. 1): Alpha*R + Beta*A + Theta*V + C, where
/// R is the mean squared pixel error, A the absorption loss through a frozen <see cref="AbsorptionSurrogateModel"/> on a
/// random subset of each batch (see <see cref="AbsorptionReference"/>), V the codebook loss (only when the quantizer
/// learns by codebook loss; EMA updates need none) and C the commitment loss.
/// </summary>
/// <remarks>
/// Runs the shared checkpointed loop (<see cref="CheckpointedTraining{TModel, TMetrics, TResult}"/>): weights, codebook,
/// shuffles, subsets and code restarts all derive from the seed, so the same seed on the CPU gives bit-identical
/// weights, and a resumed run ends with the same weights as an uninterrupted one.
/// </remarks>
public sealed class VqVaeTrainer : Trainer<VqVaeOptions, VqVaeTrainingOptions>
{
    /// <summary>Kind name written into checkpoints.</summary>
    public const string CheckpointKind = nameof(VqVaeTrainer);

    /// <summary>Creates a trainer.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public VqVaeTrainer(VqVaeOptions modelOptions, VqVaeTrainingOptions trainingOptions)
        : base(modelOptions, trainingOptions, options => options.Validate())
    {
        // Refused here, before the model exists: an absurd codebook otherwise ends in a native allocation failure.
        CheckMemory(modelOptions, trainingOptions.BatchSize);
    }

    /// <summary>Refuses options whose training would not fit in the memory available (<see cref="VqVaeOptions.EstimateTrainingBytes"/>).</summary>
    /// <exception cref="InsufficientMemoryException">One line with the estimate and the memory available.</exception>
    public static void CheckMemory(VqVaeOptions modelOptions, int batchSize) =>
        Physics.Runtime.MemoryBudget.Check(modelOptions.EstimateTrainingBytes(batchSize),
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"VQ-VAE training (codebook_size {modelOptions.CodebookSize}, code_dim {modelOptions.CodeDimension}, hidden_channels {modelOptions.HiddenChannels}, batch {batchSize}) needs about {{0}} (weights, gradients, Adam moments, codebook buffers and the quantizer's distances)"),
            "Use a smaller codebook_size, code_dim, hidden_channels or batch");

    /// <summary>Trains on <paramref name="images"/> and returns the model with its per-epoch history.</summary>
    /// <param name="images">N images of S x S pixels in [0, 1], flattened (N * S * S values, pixel (x, y) at x * S + y).</param>
    /// <param name="absorption">One absorption label per image; needed only for <see cref="AbsorptionReference.Label"/>.</param>
    /// <param name="surrogate">
    /// Frozen absorption surrogate for the A term; without it (or with Beta = 0) A is left out. It is moved to the
    /// training device and used in eval mode; its weights are not changed.
    /// </param>
    /// <param name="progress">Receives each finished epoch's metrics (after its checkpoint is written).</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <exception cref="ArgumentException">Bad images, labels or surrogate; the message names the problem.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint belongs to another configuration or data, or CUDA is missing.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the checkpoint (if any) holds the last finished epoch.</exception>
    public VqVaeTrainingResult Train(
        float[] images,
        float[]? absorption = null,
        AbsorptionSurrogateModel? surrogate = null,
        IProgress<EpochMetrics>? progress = null,
        CancellationToken cancellationToken = default)
    {
        int size = ModelOptions.ImageSize;
        int count = TrainingData.CountImages(images, size, nameof(images));
        if (absorption is not null) TrainingData.CheckLabels(absorption, count, nameof(absorption));
        var activeSurrogate = Options.Beta > 0 ? surrogate : null;
        bool useLabels = activeSurrogate is not null && Options.AbsorptionReference == AbsorptionReference.Label;
        if (useLabels && absorption is null)
            throw new ArgumentException("AbsorptionReference.Label needs the absorption labels; pass them or use SurrogateOfInput.", nameof(absorption));
        if (activeSurrogate is not null && activeSurrogate.Options.ImageSize != size)
            throw new ArgumentException($"The surrogate takes {activeSurrogate.Options.ImageSize}x{activeSurrogate.Options.ImageSize} images but the VQ-VAE makes {size}x{size}.", nameof(surrogate));

        return new Run(this, images, count, useLabels ? absorption : null, activeSurrogate).Train(progress, cancellationToken);
    }

    /// <summary>One call's run of the shared loop: the images (and labels) on the device, the frozen surrogate and <see cref="VqVaeEpoch"/>.</summary>
    private sealed class Run : CheckpointedTraining<VqVaeModel, EpochMetrics, VqVaeTrainingResult>
    {
        private readonly VqVaeTrainer _trainer;
        private readonly float[] _images;
        private readonly int _count;
        private readonly float[]? _labels;
        private readonly AbsorptionSurrogateModel? _surrogate;
        private FrozenModel? _frozen;
        private Tensor? _data;
        private Tensor? _labelTensor;
        private VqVaeEpoch? _epoch;

        /// <param name="trainer">The trainer's options.</param>
        /// <param name="images">The checked images.</param>
        /// <param name="count">How many images.</param>
        /// <param name="labels">The absorption labels when the A term compares with them, else null.</param>
        /// <param name="surrogate">The surrogate of the A term, or null to leave A out.</param>
        public Run(VqVaeTrainer trainer, float[] images, int count, float[]? labels, AbsorptionSurrogateModel? surrogate)
            : base(trainer.Options, CheckpointKind)
        {
            _trainer = trainer;
            _images = images;
            _count = count;
            _labels = labels;
            _surrogate = surrogate;
        }

        protected override string Fingerprint() => _trainer.Fingerprint(_images, _labels, _surrogate);

        protected override VqVaeModel CreateModel() => new(_trainer.ModelOptions, _trainer.Options.Seed);

        protected override VqVaeModel LoadModel(Stream saved) => VqVaeModel.Load(saved);

        protected override void SaveModel(VqVaeModel model, BinaryWriter writer) => model.Save(writer);

        protected override void Begin(VqVaeModel model, optim.Optimizer optimizer, Device device)
        {
            _frozen = _surrogate is null ? null : new FrozenModel(_surrogate, device);
            _data = TrainingData.ImageTensor(_images, _count, _trainer.ModelOptions.ImageSize, device);
            _labelTensor = _labels is null ? null : TrainingData.LabelTensor(_labels, device);
            _epoch = new VqVaeEpoch(model, optimizer, _trainer.Options, _data, _labelTensor, _surrogate);
        }

        /// <remarks>The learning rate is constant (<see cref="TrainingOptions.LearningRateAt"/> is not overridden).</remarks>
        protected override EpochMetrics RunEpoch(int epoch, double learningRate, CancellationToken cancellationToken) =>
            _epoch!.Run(epoch, cancellationToken);

        protected override VqVaeTrainingResult Finish(VqVaeModel model, TrainingRun<EpochMetrics> run)
        {
            if (_trainer.Options.FitVolumeFractionReadout) model.VolumeFractionReadout = FitVolumeFractionReadout(model, _data!);
            return new(model, run.History, run.Device, run.Notice, run.ResumedFromEpoch);
        }

        protected override void End()
        {
            _data?.Dispose();
            _labelTensor?.Dispose();
            _frozen?.Dispose();
        }
    }

    /// <summary>
    /// The trained model's readout from quantized latents to the volume fraction of material A (pixels above 0.5) of the
    /// training images they encode (see <see cref="VolumeFractionReadout"/>).
    /// </summary>
    internal static VolumeFractionReadout FitVolumeFractionReadout(VqVaeModel model, Tensor images)
    {
        const long ImagesPerPass = 256;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long count = images.shape[0];
        var latents = new List<Tensor>();
        for (long start = 0; start < count; start += ImagesPerPass)
        {
            var batch = images.narrow(0, start, Math.Min(ImagesPerPass, count - start));
            latents.Add(model.Quantizer.Lookup(model.Quantizer.NearestIndices(model.Encode(batch))).cpu());
        }
        var volumeFractions = images.gt(HeldScalar.Of(DesignBinarization.Threshold)).to_type(ScalarType.Float32).mean([1L, 2L, 3L]).cpu();
        return VolumeFractionReadout.Fit(cat(latents, 0L), volumeFractions);
    }

    /// <summary>What must match for a checkpoint to continue this run: architecture, trajectory-shaping options and data.</summary>
    private string Fingerprint(float[] images, float[]? labels, AbsorptionSurrogateModel? surrogate) =>
        JsonSerializer.Serialize(new
        {
            Model = ModelOptions,
            Options.Seed,
            Options.BatchSize,
            Options.LearningRate,
            Options.Alpha,
            Beta = surrogate is null ? 0 : Options.Beta,
            Options.Theta,
            Options.AbsorptionSubsetDivisor,
            Reference = surrogate is null ? null : Options.AbsorptionReference.ToString(),
            Images = TrainingData.Hash(images),
            Labels = labels is null ? null : TrainingData.Hash(labels),
            Surrogate = surrogate is null ? null : TrainingData.Hash(surrogate),
        }, TrainingCheckpoint.Json);

    /// <summary>Puts a model on the device in eval mode without gradients for its own weights; restores the flags on dispose.</summary>
    private sealed class FrozenModel : IDisposable
    {
        private readonly nn.Module _module;
        private readonly bool _wasTraining;
        private readonly List<(TorchSharp.Modules.Parameter Parameter, bool RequiresGrad)> _flags;

        public FrozenModel(nn.Module module, Device device)
        {
            _module = module;
            _wasTraining = module.training;
            module.to(device);
            module.eval();
            _flags = module.parameters().Select(p => (p, p.requires_grad)).ToList();
            foreach (var (parameter, _) in _flags) parameter.requires_grad_(false);
        }

        public void Dispose()
        {
            foreach (var (parameter, requiresGrad) in _flags) parameter.requires_grad_(requiresGrad);
            _module.train(_wasTraining);
        }
    }
}
