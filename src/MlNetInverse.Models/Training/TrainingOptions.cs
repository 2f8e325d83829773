using System.Globalization;
using System.Text.Json.Serialization;
using MlNetInverse.Models.Devices;
using MlNetInverse.Physics.Runtime;

namespace MlNetInverse.Models.Training;

/// <summary>
/// Settings every checkpointed trainer shares (<see cref="CheckpointedTraining{TModel, TMetrics, TResult}"/>): how long
/// and how fast Adam runs, the seed, where it runs and where it checkpoints. Each trainer's options derive from it and
/// set their own defaults for <see cref="Epochs"/>, <see cref="BatchSize"/>, <see cref="LearningRate"/> and
/// <see cref="CheckpointIntervalSeconds"/> (listed in their summaries).
/// </summary>
/// <remarks>
/// The JSON order of the properties is pinned (<see cref="JsonPropertyOrderAttribute"/>): saved baselines hold their
/// MDN training options as JSON, and the order they were written in stays the same.
/// </remarks>
public abstract record TrainingOptions
{
    /// <summary>Sets the defaults that differ between trainers.</summary>
    protected TrainingOptions(int epochs, int batchSize, double learningRate, double checkpointIntervalSeconds)
    {
        Epochs = epochs;
        BatchSize = batchSize;
        LearningRate = learningRate;
        CheckpointIntervalSeconds = checkpointIntervalSeconds;
    }

    /// <summary>Passes over the training data (epochs).</summary>
    [JsonPropertyOrder(1)]
    public int Epochs { get; init; }

    /// <summary>Items per optimizer step (images or pairs).</summary>
    [JsonPropertyOrder(2)]
    public int BatchSize { get; init; }

    /// <summary>Adam learning rate (per step); at the first epoch when the trainer follows a schedule (<see cref="LearningRateAt"/>).</summary>
    [JsonPropertyOrder(3)]
    public double LearningRate { get; init; }

    /// <summary>Seed of weight init, splits, shuffles and every other random draw of the run. Default 0.</summary>
    [JsonPropertyOrder(6)]
    public long Seed { get; init; }

    /// <summary>Where to train. Default <see cref="ComputeDevice.Cpu"/>.</summary>
    [JsonPropertyOrder(7)]
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>Torch intra-op threads during training (threads). Default 0: keep torch's current setting.</summary>
    [JsonPropertyOrder(8)]
    public int Threads { get; init; }

    /// <summary>
    /// Checkpoint file written atomically after the epochs <see cref="CheckpointIntervalSeconds"/> allows and after the
    /// last one; when it exists at the start, training resumes from it. Default null (none).
    /// </summary>
    [JsonPropertyOrder(9)]
    public string? CheckpointPath { get; init; }

    /// <summary>
    /// Least time between two checkpoints (seconds): after an epoch the checkpoint is written only when this much time
    /// has passed since the run started or since the last one was written, and always after the last epoch. An
    /// interruption loses at most this much training; the weights do not depend on it. 0 writes after every epoch.
    /// </summary>
    [JsonPropertyOrder(10)]
    public double CheckpointIntervalSeconds { get; init; }

    /// <summary>
    /// Torch threads while the machine's other processes leave cores free, read again after every epoch
    /// (<see cref="IdleCoreThreads"/>); an epoch after which another process wanted a core runs at <see cref="Threads"/>
    /// again. Only for a trainer whose weights do not depend on the thread count (the MDN's, pinned by a test) and only
    /// on the CPU. Default 0: always <see cref="Threads"/>.
    /// </summary>
    [JsonPropertyOrder(11)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int ThreadsWhenIdle { get; init; }

    /// <summary>Learning rate of zero-based <paramref name="epoch"/>: <see cref="LearningRate"/> unless the trainer follows a schedule.</summary>
    public virtual double LearningRateAt(int epoch) => LearningRate;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and what is allowed.</exception>
    public void Validate()
    {
        if (Epochs < 1) throw Bad(nameof(Epochs), Epochs, "at least 1");
        if (BatchSize < 1) throw Bad(nameof(BatchSize), BatchSize, "at least 1");
        if (!(LearningRate > 0 && double.IsFinite(LearningRate))) throw Bad(nameof(LearningRate), LearningRate, "a finite number > 0");
        ValidateOwn();
        if (!Enum.IsDefined(Device)) throw Bad(nameof(Device), Device, "Cpu, Cuda or Auto");
        if (Threads < 0) throw Bad(nameof(Threads), Threads, "0 (keep torch's setting) or at least 1");
        if (ThreadsWhenIdle < 0) throw Bad(nameof(ThreadsWhenIdle), ThreadsWhenIdle, "0 (always Threads) or at least 1");
        if (ThreadsWhenIdle > 0 && Threads == 0) throw Bad(nameof(ThreadsWhenIdle), ThreadsWhenIdle, $"0 while {nameof(Threads)} is 0 (torch's own setting has no count to widen)");
        if (CheckpointPath is not null && string.IsNullOrWhiteSpace(CheckpointPath)) throw Bad(nameof(CheckpointPath), "(blank)", "null or a file path");
        if (!(CheckpointIntervalSeconds >= 0 && double.IsFinite(CheckpointIntervalSeconds))) throw Bad(nameof(CheckpointIntervalSeconds), CheckpointIntervalSeconds, "a finite number of seconds >= 0");
    }

    /// <summary>Checks the options a derived record adds.</summary>
    protected virtual void ValidateOwn()
    {
    }

    /// <summary>The one-line error for <paramref name="option"/>, named after the options type that holds it.</summary>
    protected ArgumentException Bad(string option, object value, string expected) =>
        new($"{GetType().Name}.{option} must be {expected}; got {Convert.ToString(value, CultureInfo.InvariantCulture)}.", option);
}
