using System.Globalization;

namespace MlNetInverse.Physics.Datasets;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> of a run split over machines (e.g. a Slurm array task). Indices
/// are 1-based, as written on the command line ("3/4" is the third of four). A shard owns a contiguous run of whole
/// blocks (row groups), so its output is a complete file whose row groups are exactly the single-machine file's, and
/// merging the shards in id order gives that file byte for byte.
/// </summary>
public sealed record DatasetShard
{
    /// <summary>Infix before the extension of a shard's output file: <c>out.shard-0003-of-0004.parquet</c>.</summary>
    public const string FileInfix = ".shard-";

    /// <summary>Creates shard <paramref name="index"/> of <paramref name="count"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">count &lt; 1, or index outside 1..count; the message names both.</exception>
    public DatasetShard(int index, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, $"A run needs at least 1 shard; got {count}.");
        if (index < 1 || index > count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Shard {index}/{count} does not exist: shards are numbered 1 to {count}.");
        Index = index;
        Count = count;
    }

    /// <summary>This shard's number, 1 .. <see cref="Count"/>.</summary>
    public int Index { get; }

    /// <summary>Number of shards in the run, at least 1.</summary>
    public int Count { get; }

    /// <summary>Parses "I/N" (1-based, e.g. "3/4").</summary>
    /// <exception cref="FormatException">Not of the form I/N, or I outside 1..N; the message quotes the text.</exception>
    public static DatasetShard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            throw new FormatException($"'{text}' is not a shard; write I/N with 1 <= I <= N, e.g. 3/4 for the third of four.");
        if (count < 1) throw new FormatException($"'{text}': the shard count must be at least 1.");
        if (index < 1 || index > count)
            throw new FormatException($"'{text}': shard {index} of {count} does not exist; shards are numbered 1 to {count}.");
        return new DatasetShard(index, count);
    }

    /// <summary>
    /// The contiguous blocks 0-based <c>First</c> .. <c>First+Length-1</c> of <paramref name="blockCount"/> this shard
    /// owns. Shards get whole blocks, at most one apart in number; when there are more shards than blocks some get
    /// none (Length 0). Every block belongs to exactly one shard.
    /// </summary>
    public (int First, int Length) Blocks(int blockCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(blockCount);
        int first = (int)((long)(Index - 1) * blockCount / Count);
        int end = (int)((long)Index * blockCount / Count);
        return (first, end - first);
    }

    /// <summary>
    /// The rows (ids) this shard owns when <paramref name="count"/> rows are cut into row groups of
    /// <paramref name="rowGroupSize"/>: ids <c>First</c> .. <c>First+Length-1</c>, whole row groups only.
    /// </summary>
    public (long First, int Length) Rows(int count, int rowGroupSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupSize, 1);
        var (first, length) = Blocks((int)(((long)count + rowGroupSize - 1) / rowGroupSize));
        long start = Math.Min((long)first * rowGroupSize, count);
        long end = Math.Min((long)(first + length) * rowGroupSize, count);
        return (start, (int)(end - start));
    }

    /// <summary>
    /// The file this shard writes for the run's <paramref name="outputPath"/>: the shard infix before the extension,
    /// with at least four digits (<c>data/train.parquet</c> → <c>data/train.shard-0003-of-0004.parquet</c>).
    /// </summary>
    public string FilePath(string outputPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        string extension = Path.GetExtension(outputPath);
        string stem = outputPath[..^extension.Length];
        return string.Create(CultureInfo.InvariantCulture, $"{stem}{FileInfix}{Index:D4}-of-{Count:D4}{extension}");
    }

    /// <summary>"I/N", the form <see cref="Parse"/> reads.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
