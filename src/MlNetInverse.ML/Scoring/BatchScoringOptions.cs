using MlNetInverse.Models.Devices;
using MlNetInverse.Physics.Datasets;

namespace MlNetInverse.ML.Scoring;

/// <summary>Settings of <see cref="BatchScorer"/>.</summary>
public sealed class BatchScoringOptions
{
    /// <summary>Targets per block (targets). Each block is one output row group and one resumable part. Default 4096.</summary>
    public int BatchSize { get; set; } = 4096;

    /// <summary>Images generated per target (draws of the MDN; draw n is the same as draw n of 'generate'). Default 1.</summary>
    public int SamplesPerTarget { get; set; } = 1;

    /// <summary>Seed of the MDN draws. Default null: the model's sampling seed.</summary>
    public long? Seed { get; set; }

    /// <summary>The runtime of the networks. Default <see cref="ScoringEngine.Torch"/>.</summary>
    public ScoringEngine Engine { get; set; } = ScoringEngine.Torch;

    /// <summary>Intra-op threads of the engine (threads). Default 1: measured fastest on a shared 2-core machine.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>Where the networks run. Default <see cref="ComputeDevice.Cpu"/>; Auto falls back to the CPU with a notice, Cuda fails without CUDA.</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Cpu;

    /// <summary>How images are stored. Default <see cref="ScoreImageEncoding.Packed"/> (512 bytes per 64x64 image).</summary>
    public ScoreImageEncoding ImageEncoding { get; set; } = ScoreImageEncoding.Packed;

    /// <summary>Whether the surrogate predicts each image's absorption (column predicted_absorption). Default true.</summary>
    public bool PredictAbsorption { get; set; } = true;

    /// <summary>The target column of the input. Default null: the first of target, absorption, Absorption, Target.</summary>
    public string? TargetColumn { get; set; }

    /// <summary>Score only this shard's whole blocks of the input's rows. Default null: every row.</summary>
    public DatasetShard? Shard { get; set; }

    /// <summary>
    /// Replace an existing output that is not a score file or holds scores of other settings (model, input, samples,
    /// seed, ...), and start over from a parts folder of other settings. Default false: both are refused.
    /// </summary>
    public bool Overwrite { get; set; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and what is allowed.</exception>
    public void Validate()
    {
        if (BatchSize < 1 || BatchSize > 1 << 20) throw new ArgumentException($"BatchSize must be 1 .. 1048576 targets; got {BatchSize}.", nameof(BatchSize));
        if (SamplesPerTarget < 1 || SamplesPerTarget > 10_000) throw new ArgumentException($"SamplesPerTarget must be 1 .. 10000; got {SamplesPerTarget}.", nameof(SamplesPerTarget));
        if ((long)BatchSize * SamplesPerTarget > 1 << 22)
            throw new ArgumentException($"BatchSize x SamplesPerTarget must be at most 4194304 images per block; got {(long)BatchSize * SamplesPerTarget}. Lower the batch.", nameof(BatchSize));
        if (Threads < 1) throw new ArgumentException($"Threads must be at least 1; got {Threads}.", nameof(Threads));
        if (!Enum.IsDefined(Engine)) throw new ArgumentException($"Engine must be Torch or Onnx; got {Engine}.", nameof(Engine));
        if (!Enum.IsDefined(Device)) throw new ArgumentException($"Device must be Cpu, Cuda or Auto; got {Device}.", nameof(Device));
        if (!Enum.IsDefined(ImageEncoding)) throw new ArgumentException($"ImageEncoding must be Packed or Float; got {ImageEncoding}.", nameof(ImageEncoding));
    }
}
