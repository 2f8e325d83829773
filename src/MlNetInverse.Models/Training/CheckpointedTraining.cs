using System.Diagnostics;
using System.Text.Json;
using MlNetInverse.Models.Devices;
using MlNetInverse.Physics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetInverse.Models.Training;

/// <summary>
/// The checkpointed Adam training loop, written once for every trainer (VQ-VAE, surrogate, MDN): device and torch
/// threads, a checkpoint whose fingerprint must match to resume, the model made fresh or loaded from it,
/// <see cref="HeldScalarAdam"/> with its moments restored, then epoch by epoch the learning rate of
/// <see cref="TrainingOptions.LearningRateAt"/>, the trainer's epoch, the checkpoint (as often as
/// <see cref="TrainingOptions.CheckpointIntervalSeconds"/> allows, and after the last epoch) and the progress report.
/// A trainer derives a run from it per call and plugs in its model, data, epoch and result. With
/// <see cref="TrainingOptions.ThreadsWhenIdle"/> the torch thread count follows the machine's other load epoch by epoch.
/// </summary>
/// <remarks>
/// Reproducible: every random draw of a trainer is keyed by its seed, the epoch and the step, so the epoch number is
/// the whole random state and a resumed run ends with the same weights as an uninterrupted one. Cancellation is
/// checked by the trainer's epoch before every step; the checkpoint then holds the last epoch written and
/// <see cref="OperationCanceledException"/> propagates. On any failure the model is disposed.
/// </remarks>
/// <typeparam name="TModel">The network trained.</typeparam>
/// <typeparam name="TMetrics">One epoch's metrics (kept as JSON in the checkpoint's history).</typeparam>
/// <typeparam name="TResult">What the trainer returns.</typeparam>
internal abstract class CheckpointedTraining<TModel, TMetrics, TResult> where TModel : nn.Module
{
    private readonly TrainingOptions _options;
    private readonly string _kind;

    /// <param name="options">The shared settings (validated by the trainer).</param>
    /// <param name="kind">Kind name written into checkpoints (the trainer's name).</param>
    protected CheckpointedTraining(TrainingOptions options, string kind)
    {
        _options = options;
        _kind = kind;
    }

    /// <summary>JSON of what must match for a checkpoint to continue this run: architecture, trajectory-shaping options and data.</summary>
    protected abstract string Fingerprint();

    /// <summary>A fresh, seeded model (with any statistics fitted on the training split), on the CPU.</summary>
    protected abstract TModel CreateModel();

    /// <summary>The model saved in a checkpoint.</summary>
    protected abstract TModel LoadModel(Stream saved);

    /// <summary>Writes the model in its own saved format (what <see cref="LoadModel"/> reads).</summary>
    protected abstract void SaveModel(TModel model, BinaryWriter writer);

    /// <summary>Puts the data on <paramref name="device"/> (the model and optimizer are there already) and keeps what the epochs need.</summary>
    protected abstract void Begin(TModel model, optim.Optimizer optimizer, Device device);

    /// <summary>Trains zero-based <paramref name="epoch"/> at <paramref name="learningRate"/>; checks cancellation before every step.</summary>
    protected abstract TMetrics RunEpoch(int epoch, double learningRate, CancellationToken cancellationToken);

    /// <summary>The trainer's result, from the model in eval mode (the data of <see cref="Begin"/> still alive).</summary>
    protected abstract TResult Finish(TModel model, TrainingRun<TMetrics> run);

    /// <summary>Releases what <see cref="Begin"/> made; runs whether training ended or failed (also when Begin never ran).</summary>
    protected virtual void End()
    {
    }

    /// <summary>Runs the loop.</summary>
    /// <exception cref="InvalidOperationException">The checkpoint belongs to another configuration or data, or CUDA is missing.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the checkpoint (if any) holds the last epoch written.</exception>
    public TResult Train(IProgress<TMetrics>? progress, CancellationToken cancellationToken)
    {
        var device = DeviceResolver.Resolve(_options.Device, out var notice);
        using var threads = TorchThreadScope.UnlessZero(_options.Threads);
        // Hashing the data takes time: only a run that checkpoints needs the fingerprint.
        string fingerprint = _options.CheckpointPath is null ? string.Empty : Fingerprint();
        var checkpoint = _options.CheckpointPath is { } path ? TrainingCheckpoint.ReadIfExists(path, _kind) : null;
        if (checkpoint is not null && checkpoint.Fingerprint != fingerprint)
            throw new InvalidOperationException(
                $"Checkpoint '{_options.CheckpointPath}' was written for other model options, training options or data; " +
                "delete it or choose another CheckpointPath to start over.");

        var model = checkpoint is null ? CreateModel() : LoadModel(new MemoryStream(checkpoint.Model));
        var history = checkpoint is null ? new List<TMetrics>() : JsonSerializer.Deserialize<List<TMetrics>>(checkpoint.History, TrainingCheckpoint.Json) ?? [];
        int resumedFrom = checkpoint?.CompletedEpochs ?? 0;
        try
        {
            model.to(device);
            using var optimizer = new HeldScalarAdam(model.parameters(), _options.LearningRate);
            if (checkpoint is not null)
            {
                using var reader = new BinaryReader(new MemoryStream(checkpoint.Optimizer));
                optimizer.load_state_dict(reader);
                optimizer.to(device);
            }
            Begin(model, optimizer, device);
            var sinceCheckpoint = Stopwatch.StartNew();
            // Read from here on: the first epoch runs at Threads, later ones at what the epoch before left free.
            var load = _options.ThreadsWhenIdle > _options.Threads && device.type == DeviceType.CPU ? new OtherProcessesLoad() : null;

            for (int epoch = resumedFrom; epoch < _options.Epochs; epoch++)
            {
                if (load is not null)
                    torch.set_num_threads(IdleCoreThreads.For(
                        epoch == resumedFrom ? null : load.BusyCoresSinceLast(), _options.Threads, _options.ThreadsWhenIdle, Environment.ProcessorCount));
                double learningRate = _options.LearningRateAt(epoch);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
                var metrics = RunEpoch(epoch, learningRate, cancellationToken);
                history.Add(metrics);
                bool due = epoch + 1 == _options.Epochs || sinceCheckpoint.Elapsed.TotalSeconds >= _options.CheckpointIntervalSeconds;
                if (_options.CheckpointPath is { } checkpointPath && due)
                {
                    new TrainingCheckpoint(
                        _kind, fingerprint, epoch + 1, JsonSerializer.Serialize(history, TrainingCheckpoint.Json), string.Empty,
                        TrainingCheckpoint.Capture(writer => SaveModel(model, writer)),
                        TrainingCheckpoint.Capture(optimizer.save_state_dict)).Write(checkpointPath);
                    sinceCheckpoint.Restart();
                }
                progress?.Report(metrics);
            }

            model.eval();
            return Finish(model, new TrainingRun<TMetrics>(history, device.ToString(), notice, resumedFrom));
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            End();
        }
    }
}
