using MlNetInverse.Physics.Optics;

namespace MlNetInverse.Physics.Datasets;

/// <summary>Settings of one dataset generation run.</summary>
public sealed record DatasetGenerationOptions
{
    /// <summary>Number of samples (ids 0 .. Count-1).</summary>
    public required int Count { get; init; }

    /// <summary>Master seed; sample i's parameters and GRF seed derive from (Seed, i) only. Default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Stack, wavelengths and solver settings used for the labels (stored in the file).</summary>
    public required OpticalStack Stack { get; init; }

    /// <summary>Worker threads, each simulating one pattern at a time. Default 1.</summary>
    public int Threads { get; init; } = 1;
}
