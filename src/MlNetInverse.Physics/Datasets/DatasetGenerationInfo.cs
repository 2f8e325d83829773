namespace MlNetInverse.Physics.Datasets;

/// <summary>
/// How a dataset file was generated; stored as JSON in the file's key/value metadata under
/// <see cref="MicrostructureDatasetFile.GenerationKey"/>. Two runs with equal info and stack give the same rows.
/// </summary>
/// <param name="Seed">Master seed of the sampler.</param>
/// <param name="Count">Samples asked for (ids 0 .. Count-1).</param>
/// <param name="Size">Microstructure edge length in pixels.</param>
/// <param name="RowGroupSize">Samples per row group.</param>
/// <param name="Ranges">Ranges the GRF parameters were drawn from.</param>
public sealed record DatasetGenerationInfo(long Seed, int Count, int Size, int RowGroupSize, GrfParameterRanges Ranges)
{
    /// <summary>The file format (schema + sampler algorithm) this code writes.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>File format version. Default <see cref="CurrentFormatVersion"/>.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The info a run with these options writes.</summary>
    public static DatasetGenerationInfo From(DatasetGenerationOptions options) =>
        new(options.Seed, options.Count, options.Size, options.RowGroupSize, options.Ranges);

    /// <summary>
    /// Each setting that differs from <paramref name="other"/>, as "seed 7 {thisLabel}, 8 {otherLabel}"; empty when equal.
    /// </summary>
    internal List<string> DifferencesFrom(DatasetGenerationInfo other, string thisLabel, string otherLabel)
    {
        var differences = new List<string>();
        void Compare<T>(string name, T mine, T theirs)
        {
            if (!EqualityComparer<T>.Default.Equals(mine, theirs))
                differences.Add(FormattableString.Invariant($"{name} {mine} {thisLabel}, {theirs} {otherLabel}"));
        }
        Compare("format version", FormatVersion, other.FormatVersion);
        Compare("seed", Seed, other.Seed);
        Compare("count", Count, other.Count);
        Compare("size", Size, other.Size);
        Compare("row group size", RowGroupSize, other.RowGroupSize);
        Compare("family", Ranges.Family, other.Ranges.Family);
        Compare("mean wavenumber range", Ranges.MeanWavenumber, other.Ranges.MeanWavenumber);
        Compare("std wavenumber range", Ranges.StdWavenumber, other.Ranges.StdWavenumber);
        Compare("volume fraction range", Ranges.VolumeFraction, other.Ranges.VolumeFraction);
        return differences;
    }
}
