using System.Diagnostics;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.Physics.Datasets;

/// <summary>
/// Joins the shard files of a sharded run (<see cref="DatasetGenerationOptions.Shard"/>) into one dataset equal, byte
/// for byte, to the file a single run with the same settings writes: rows in id order, one row group per
/// <see cref="DatasetGenerationInfo.RowGroupSize"/> ids, the run's metadata without a shard. Everything is checked
/// before anything is written: same generation settings and stack in every file, ids 0 .. count-1 each exactly once.
/// The output is written through a temp file and a rename. Files are read one at a time, one row group in memory.
/// </summary>
public static class DatasetMerger
{
    /// <summary>Merges <paramref name="shardPaths"/> (in any order) into <paramref name="outputPath"/>.</summary>
    /// <param name="shardPaths">Shard files of one run; whole datasets or any files holding disjoint id runs of it work too.</param>
    /// <param name="outputPath">The merged file; replaced atomically when it exists. Must not be one of the inputs.</param>
    /// <param name="progress">Rows written so far, of the run's count.</param>
    /// <param name="cancellationToken">Stops between row groups; nothing is left at <paramref name="outputPath"/>.</param>
    /// <exception cref="ArgumentException">No input, an input given twice, or the output among the inputs.</exception>
    /// <exception cref="FileNotFoundException">An input does not exist.</exception>
    /// <exception cref="InvalidDataException">An input is not a dataset file, or changed while being merged.</exception>
    /// <exception cref="InvalidOperationException">Settings differ between inputs, or ids are missing, duplicated or out of range (the message names them); nothing is written.</exception>
    public static async Task<DatasetMergeSummary> MergeAsync(IReadOnlyList<string> shardPaths, string outputPath,
        IProgress<DatasetProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shardPaths);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var clock = Stopwatch.StartNew();
        var files = CheckedPaths(shardPaths, outputPath, out string output);
        var plan = await PlanAsync(files, cancellationToken);

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        int groups = 0;
        await AtomicFile.WriteAsync(output, async stream =>
        {
            var g = plan.Generation;
            await using var writer = await MicrostructureDatasetWriter.CreateAsync(stream, plan.Stack, plan.StackJson, g, shard: null, cancellationToken);
            var source = new SegmentSource(files);
            try
            {
                var buffer = new List<MicrostructureRecord>(g.RowGroupSize);
                long next = 0;
                foreach (var segment in plan.Segments)
                {
                    foreach (var record in await source.ReadAsync(segment, cancellationToken))
                    {
                        if (record.Id != next)
                            throw new InvalidDataException($"'{files[segment.File]}' changed while being merged: found id {record.Id} where {next} was expected.");
                        buffer.Add(record);
                        next++;
                        // Row groups on the single run's grid: ids [k*R, min((k+1)*R, count)).
                        if (buffer.Count == g.RowGroupSize || next == g.Count)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            await writer.WriteRowGroupAsync(buffer, cancellationToken);
                            groups++;
                            buffer.Clear();
                            progress?.Report(new DatasetProgress((int)next, g.Count, 0));
                        }
                    }
                }
            }
            finally
            {
                await source.DisposeAsync();
            }
        }, cancellationToken);
        return new DatasetMergeSummary(output, files.Count, plan.Generation.Count, groups, clock.Elapsed);
    }

    private static List<string> CheckedPaths(IReadOnlyList<string> shardPaths, string outputPath, out string output)
    {
        if (shardPaths.Count == 0) throw new ArgumentException("Give at least one shard file to merge.", nameof(shardPaths));
        output = Path.GetFullPath(outputPath);
        var files = new List<string>(shardPaths.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in shardPaths)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(path, nameof(shardPaths));
            string full = Path.GetFullPath(path);
            if (!seen.Add(full)) throw new ArgumentException($"The shard file '{path}' is given twice.", nameof(shardPaths));
            if (full == output) throw new ArgumentException($"The output '{outputPath}' is also an input; write the merged file elsewhere.", nameof(outputPath));
            if (!File.Exists(full)) throw new FileNotFoundException($"Shard file '{path}' does not exist.", path);
            files.Add(full);
        }
        return files;
    }

    /// <summary>Reads every input's metadata and ids, checks them, and returns the id runs in output order.</summary>
    private static async Task<MergePlan> PlanAsync(List<string> files, CancellationToken cancellationToken)
    {
        var coverage = new DatasetIdCoverage();
        DatasetGenerationInfo? generation = null;
        OpticalStack? stack = null;
        string? stackJson = null;
        var shardCounts = new HashSet<int>();
        bool allSharded = true;
        var mismatches = new List<string>();
        for (int f = 0; f < files.Count; f++)
        {
            await using var reader = await MicrostructureDatasetFile.OpenAsync(files[f], cancellationToken);
            if (generation is null)
            {
                (generation, stack, stackJson) = (reader.Generation, reader.Stack, reader.StackJson);
            }
            else
            {
                var differences = reader.Generation.DifferencesFrom(generation, $"in '{files[f]}'", $"in '{files[0]}'");
                if (reader.StackJson != stackJson) differences.Add($"the optical stack of '{files[f]}' differs from that of '{files[0]}'");
                mismatches.AddRange(differences);
            }
            if (reader.Shard is { } shard) shardCounts.Add(shard.Count);
            else allSharded = false;
            for (int g = 0; g < reader.RowGroupCount; g++)
                coverage.AddRowGroup(f, g, await reader.ReadIdsAsync(g, cancellationToken));
            // A byte flipped where Parquet decodes it silently would be copied into the merge: check every row first.
            await reader.VerifyAsync(cancellationToken);
        }
        if (mismatches.Count > 0)
            throw new InvalidOperationException($"Cannot merge files of different runs ({string.Join("; ", mismatches)}). Nothing was written.");

        int? shardCount = allSharded && shardCounts.Count == 1 ? shardCounts.Single() : null;
        var problems = coverage.Problems(generation!.Count, files, shardCount, generation.RowGroupSize);
        if (problems.Count > 0)
            throw new InvalidOperationException(
                $"Cannot merge: the files must hold ids 0..{generation.Count - 1} each exactly once; {string.Join("; ", problems)}. Nothing was written.");
        return new MergePlan(generation, stack!, stackJson!, coverage.Ordered());
    }

    private sealed record MergePlan(DatasetGenerationInfo Generation, OpticalStack Stack, string StackJson, IReadOnlyList<DatasetIdCoverage.IdSegment> Segments);

    /// <summary>Reads segments in output order with one file open and the last row group cached.</summary>
    private sealed class SegmentSource(List<string> files) : IAsyncDisposable
    {
        private MicrostructureDatasetReader? _reader;
        private int _file = -1, _group = -1;
        private IReadOnlyList<MicrostructureRecord> _records = [];

        public async Task<IEnumerable<MicrostructureRecord>> ReadAsync(DatasetIdCoverage.IdSegment segment, CancellationToken cancellationToken)
        {
            if (segment.File != _file)
            {
                if (_reader is not null) await _reader.DisposeAsync();
                _reader = null;
                _reader = await MicrostructureDatasetFile.OpenAsync(files[segment.File], cancellationToken);
                _file = segment.File;
                _group = -1;
            }
            if (segment.Group != _group)
            {
                _records = await _reader!.ReadRowGroupAsync(segment.Group, cancellationToken);
                _group = segment.Group;
            }
            return _records.Skip(segment.Offset).Take(segment.Length);
        }

        public async ValueTask DisposeAsync()
        {
            if (_reader is not null) await _reader.DisposeAsync();
        }
    }
}
