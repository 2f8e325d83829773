namespace MlNetInverse.Physics.Datasets;

/// <summary>Generates GRF microstructures, labels them with RCWA and writes the Parquet dataset.</summary>
public sealed class DatasetGenerator
{
    public DatasetGenerator(DatasetGenerationOptions options) => Options = options;

    public DatasetGenerationOptions Options { get; }

    /// <summary>Writes the dataset to <paramref name="outputPath"/>, resuming a previous interrupted run of the same command.</summary>
    public Task<DatasetSummary> GenerateAsync(string outputPath, IProgress<DatasetProgress>? progress = null, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();
}
