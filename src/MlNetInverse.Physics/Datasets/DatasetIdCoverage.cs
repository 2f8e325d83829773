using System.Globalization;

namespace MlNetInverse.Physics.Datasets;

/// <summary>
/// Which ids a set of shard files holds: each row group's ids are cut into runs of consecutive ids (one run per row
/// group for files this project writes), sorted, and checked to cover 0 .. count-1 exactly once. Problems are named
/// as id ranges, at most <see cref="MaxRangesNamed"/> of each kind.
/// </summary>
internal sealed class DatasetIdCoverage
{
    /// <summary>How many missing, duplicate or out-of-range id ranges a message lists before "and N more".</summary>
    public const int MaxRangesNamed = 5;

    private readonly List<IdSegment> _segments = [];

    /// <summary>A run of consecutive ids Start .. Start+Length-1 at row Offset of row group Group of file File.</summary>
    public readonly record struct IdSegment(long Start, int Length, int File, int Group, int Offset)
    {
        public long End => Start + Length;
    }

    /// <summary>Adds the ids of one row group, in file order.</summary>
    public void AddRowGroup(int file, int group, IReadOnlyList<long> ids)
    {
        int runStart = 0;
        for (int i = 1; i <= ids.Count; i++)
        {
            if (i < ids.Count && ids[i] == ids[i - 1] + 1) continue;
            _segments.Add(new IdSegment(ids[runStart], i - runStart, file, group, runStart));
            runStart = i;
        }
    }

    /// <summary>The runs in id order (ties keep the order they were added in).</summary>
    public IReadOnlyList<IdSegment> Ordered() => _segments.OrderBy(s => s.Start).ThenBy(s => s.File).ToList();

    /// <summary>
    /// The problems with covering 0 .. <paramref name="count"/>-1 exactly once: missing ranges (with the shard of
    /// <paramref name="shardCount"/> that writes them, when every file came from one split), duplicates (naming the
    /// two files) and ids outside the range. Empty when the coverage is exact.
    /// </summary>
    public List<string> Problems(int count, IReadOnlyList<string> files, int? shardCount, int rowGroupSize)
    {
        var outside = new List<string>();
        var missing = new List<string>();
        var duplicates = new List<string>();
        long covered = 0;
        int coveringFile = -1;
        foreach (var s in Ordered())
        {
            if (s.Start < 0 || s.End > count)
            {
                outside.Add($"{Range(s.Start, s.End)} in '{files[s.File]}'");
                continue;
            }
            if (s.Start > covered) missing.Add(Range(covered, s.Start) + ShardHint(covered, s.Start, count, shardCount, rowGroupSize));
            else if (s.Start < covered)
            {
                string where = coveringFile == s.File ? $"twice in '{files[s.File]}'" : $"in '{files[coveringFile]}' and '{files[s.File]}'";
                duplicates.Add($"{Range(s.Start, Math.Min(covered, s.End))} ({where})");
            }
            if (s.End > covered)
            {
                covered = s.End;
                coveringFile = s.File;
            }
        }
        if (covered < count) missing.Add(Range(covered, count) + ShardHint(covered, count, count, shardCount, rowGroupSize));

        var problems = new List<string>();
        if (missing.Count > 0) problems.Add($"ids missing: {Listed(missing)}");
        if (duplicates.Count > 0) problems.Add($"ids given more than once: {Listed(duplicates)}");
        if (outside.Count > 0) problems.Add($"ids outside 0..{count - 1} (the run's count is {count}): {Listed(outside)}");
        return problems;
    }

    /// <summary>"40..79" for the ids start .. end-1, or "40" for one id.</summary>
    public static string Range(long start, long end) =>
        end - start == 1 ? start.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{start}..{end - 1}");

    private static string Listed(List<string> ranges) =>
        ranges.Count <= MaxRangesNamed
            ? string.Join(", ", ranges)
            : string.Join(", ", ranges.Take(MaxRangesNamed)) + $" and {ranges.Count - MaxRangesNamed} more";

    /// <summary>" (shard 2/4 writes them)" when all files came from one split of the run; the shards whose ids meet the gap.</summary>
    private static string ShardHint(long start, long end, int count, int? shardCount, int rowGroupSize)
    {
        if (shardCount is not { } n) return "";
        int parts = (count + rowGroupSize - 1) / rowGroupSize;
        var owners = new List<string>();
        for (int i = 1; i <= n; i++)
        {
            var (first, length) = new DatasetShard(i, n).Blocks(parts);
            long from = (long)first * rowGroupSize, to = Math.Min((long)(first + length) * rowGroupSize, count);
            if (from < end && to > start) owners.Add(new DatasetShard(i, n).ToString());
        }
        return owners.Count switch
        {
            0 => "",
            1 => $" (shard {owners[0]} writes them)",
            _ => $" (shards {string.Join(", ", owners)} write them)",
        };
    }
}
