using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetInverse.Models.Devices;
using MlNetInverse.Models.Persistence;
using MlNetInverse.Models.Surrogate;
using MlNetInverse.Models.VqVae;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Training;

/// <summary>
/// Trains a <see cref="VqVaeModel"/> with Adam on the loss of the paper (eq. 1): Alpha*R + Beta*A + Theta*V + C, where
/// R is the mean squared pixel error, A the absorption loss through a frozen <see cref="AbsorptionSurrogateModel"/> on a
/// random subset of each batch (see <see cref="AbsorptionReference"/>), V the codebook loss (only when the quantizer
/// learns by codebook loss; EMA updates need none) and C the commitment loss.
/// </summary>
/// <remarks>
/// Reproducible: weights, codebook, shuffles, subsets and code restarts all derive from <see cref="VqVaeTrainingOptions.Seed"/>,
/// so the same seed on the CPU gives bit-identical weights. With a <see cref="VqVaeTrainingOptions.CheckpointPath"/> the
/// full state (model, Adam moments, epoch, history) is written atomically after every epoch and a later run resumes from it,
/// ending with the same weights as an uninterrupted run. Cancellation is checked before every step; the checkpoint then
/// holds the last finished epoch and <see cref="OperationCanceledException"/> is thrown.
/// </remarks>
public sealed class VqVaeTrainer
{
    /// <summary>Kind name written into checkpoints.</summary>
    public const string CheckpointKind = nameof(VqVaeTrainer);

    internal static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Creates a trainer.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public VqVaeTrainer(VqVaeOptions modelOptions, VqVaeTrainingOptions trainingOptions)
    {
        ArgumentNullException.ThrowIfNull(modelOptions);
        ArgumentNullException.ThrowIfNull(trainingOptions);
        modelOptions.Validate();
        trainingOptions.Validate();
        ModelOptions = modelOptions;
        Options = trainingOptions;
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

    /// <summary>Architecture of the model to train.</summary>
    public VqVaeOptions ModelOptions { get; }

    /// <summary>Training settings.</summary>
    public VqVaeTrainingOptions Options { get; }

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

        var device = DeviceResolver.Resolve(Options.Device, out var notice);
        using var threads = TorchThreadScope.UnlessZero(Options.Threads);
        string fingerprint = Fingerprint(images, useLabels ? absorption : null, activeSurrogate);
        var checkpoint = Options.CheckpointPath is { } path ? TrainingCheckpoint.ReadIfExists(path, CheckpointKind) : null;
        if (checkpoint is not null && checkpoint.Fingerprint != fingerprint)
            throw new InvalidOperationException(
                $"Checkpoint '{Options.CheckpointPath}' was written for other model options, training options or data; " +
                "delete it or choose another CheckpointPath to start over.");

        var model = checkpoint is null ? new VqVaeModel(ModelOptions, Options.Seed) : VqVaeModel.Load(new MemoryStream(checkpoint.Model));
        var history = checkpoint is null ? new List<EpochMetrics>() : JsonSerializer.Deserialize<List<EpochMetrics>>(checkpoint.History, Json) ?? [];
        int resumedFrom = checkpoint?.CompletedEpochs ?? 0;
        var frozen = activeSurrogate is null ? null : new FrozenModel(activeSurrogate, device);
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
            using var labels = useLabels ? TrainingData.LabelTensor(absorption!, device) : null;
            var epoch = new VqVaeEpoch(model, optimizer, Options, data, labels, activeSurrogate);

            for (int e = resumedFrom; e < Options.Epochs; e++)
            {
                var metrics = epoch.Run(e, cancellationToken);
                history.Add(metrics);
                if (Options.CheckpointPath is { } checkpointPath)
                {
                    new TrainingCheckpoint(
                        CheckpointKind, fingerprint, e + 1, JsonSerializer.Serialize(history, Json), string.Empty,
                        TrainingCheckpoint.Capture(model.Save),
                        TrainingCheckpoint.Capture(optimizer.save_state_dict)).Write(checkpointPath);
                }
                progress?.Report(metrics);
            }
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            frozen?.Dispose();
        }
        model.eval();
        return new VqVaeTrainingResult(model, history, device.ToString(), notice, resumedFrom);
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
        }, Json);

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
