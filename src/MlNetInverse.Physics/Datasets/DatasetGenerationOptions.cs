using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;

namespace MlNetInverse.Physics.Datasets;

/// <summary>Settings of one dataset generation run.</summary>
public sealed record DatasetGenerationOptions
{
    /// <summary>Default <see cref="RowGroupSize"/>: 250 samples per part and per Parquet row group.</summary>
    public const int DefaultRowGroupSize = 250;

    /// <summary>Number of samples (ids 0 .. Count-1). Required, &gt;= 1.</summary>
    public required int Count { get; init; }

    /// <summary>Master seed; sample i's parameters and GRF seed derive from (Seed, i) only. Default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Stack, wavelengths and solver settings used for the labels (stored in the file). Required.</summary>
    public required OpticalStack Stack { get; init; }

    /// <summary>Worker threads, each simulating one pattern at a time. Default 1. Does not change the output.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Where the GRF parameters are drawn from. Default <c>new GrfParameterRanges()</c> (ring SDF, documented ranges).</summary>
    public GrfParameterRanges Ranges { get; init; } = new();

    /// <summary>
    /// Samples per part file and per row group of the final file, in samples. Default 250. An interruption loses at
    /// most one part of work.
    /// </summary>
    public int RowGroupSize { get; init; } = DefaultRowGroupSize;

    /// <summary>
    /// The slice of the run this process computes and writes, or null for the whole dataset. Default null. A shard
    /// takes whole row groups (<see cref="DatasetShard.Blocks"/> of the parts), writes only their rows and records
    /// itself in the file; <see cref="DatasetMerger"/> joins the shards into the file a run without a shard writes.
    /// </summary>
    public DatasetShard? Shard { get; init; }

    /// <summary>
    /// Replace an existing output that is not this run's dataset (another kind of file, or a dataset with other settings)
    /// and start over from a parts folder of a run with other settings. Default false: both are refused, so a typo in
    /// the seed or the path cannot cost a finished dataset. An output with exactly these settings is reused either way.
    /// </summary>
    public bool Overwrite { get; init; }

    /// <summary>Edge length of the microstructures in pixels. Default 64.</summary>
    public int Size { get; init; } = Microstructure.DefaultSize;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Count < 1) throw new ArgumentException($"Count must be at least 1 sample; got {Count}.");
        if (Threads < 1) throw new ArgumentException($"Threads must be at least 1; got {Threads}.");
        if (RowGroupSize < 1) throw new ArgumentException($"Row group size must be at least 1 sample; got {RowGroupSize}.");
        if (Size < 2) throw new ArgumentException($"Microstructure size must be at least 2 pixels; got {Size}.");
        ArgumentNullException.ThrowIfNull(Stack);
        ArgumentNullException.ThrowIfNull(Ranges);
        Stack.Validate();
        Ranges.Validate(Size);
    }
}
