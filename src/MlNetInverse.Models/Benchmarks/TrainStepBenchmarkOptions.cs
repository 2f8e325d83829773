using System.Globalization;

namespace MlNetInverse.Models.Benchmarks;

/// <summary>Settings of <see cref="VqVaeTrainStepBenchmark"/> (the peer benchmark's architecture, see <see cref="VqVae.VqVaeOptions.PeerBenchmark"/>).</summary>
public sealed record TrainStepBenchmarkOptions
{
    /// <summary>Codebook size K (codes). Default 512.</summary>
    public int CodebookSize { get; init; } = 512;

    /// <summary>Code dimension D (channels). Default 16.</summary>
    public int CodeDimension { get; init; } = 16;

    /// <summary>Images per step (images). Default 128, as in the peer script.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Untimed steps first (steps). Default 3, as in the peer script.</summary>
    public int WarmUpSteps { get; init; } = 3;

    /// <summary>Timed steps (steps); the median is reported. Default 20, as in the peer script.</summary>
    public int Steps { get; init; } = 20;

    /// <summary>Seed of the weights, images and code indices. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        if (CodebookSize < 2) throw Bad(nameof(CodebookSize), CodebookSize, "at least 2");
        if (CodeDimension < 1) throw Bad(nameof(CodeDimension), CodeDimension, "at least 1");
        if (BatchSize < 1) throw Bad(nameof(BatchSize), BatchSize, "at least 1");
        if (WarmUpSteps < 0) throw Bad(nameof(WarmUpSteps), WarmUpSteps, "at least 0");
        if (Steps < 1) throw Bad(nameof(Steps), Steps, "at least 1");
    }

    private static ArgumentException Bad(string option, object value, string expected) =>
        new($"TrainStepBenchmarkOptions.{option} must be {expected}; got {Convert.ToString(value, CultureInfo.InvariantCulture)}.", option);
}
