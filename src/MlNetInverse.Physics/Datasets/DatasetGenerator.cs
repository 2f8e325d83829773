using System.Diagnostics;
using System.Globalization;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Rcwa;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.Physics.Datasets;

/// <summary>
/// Generates GRF microstructures, labels them with RCWA and writes the Parquet dataset. Resumable: samples are
/// computed in parts of <see cref="DatasetGenerationOptions.RowGroupSize"/> ids kept in <c>&lt;out&gt;.parts/</c>, so a
/// cancel or crash loses at most the part in progress and re-running the same command resumes. The final file is
/// written only when every part exists (temp file + rename), so an older file at the output path stays intact until
/// then. The same options give the same file byte for byte, whatever the thread count or the interruptions.
/// With <see cref="DatasetGenerationOptions.Shard"/> set, only that shard's whole parts are computed and written
/// (to whatever path it is given; the CLI uses <see cref="DatasetShard.FilePath"/>); <see cref="DatasetMerger"/>
/// joins the shards into the file a single run writes.
/// </summary>
public sealed class DatasetGenerator
{
    private readonly Func<GrfParameters, long, Microstructure> _generate;
    private readonly Func<Microstructure, CancellationToken, StackResponse> _simulate;
    private readonly GrfParameterSampler _sampler;

    /// <summary>Creates a generator that draws maps with <see cref="GaussianRandomFieldGenerator"/> and labels them with <see cref="RcwaSolver"/>.</summary>
    /// <exception cref="ArgumentException">An invalid option; the message names it.</exception>
    public DatasetGenerator(DatasetGenerationOptions options)
        : this(Validated(options), CreateGenerator(options), CreateSimulator(options))
    {
    }

    /// <summary>For tests: any map generator and any simulator (e.g. cheap fakes).</summary>
    internal DatasetGenerator(DatasetGenerationOptions options, Func<GrfParameters, long, Microstructure> generate, Func<Microstructure, StackResponse> simulate)
        : this(Validated(options), generate, (map, _) => simulate(map))
    {
    }

    private DatasetGenerator(DatasetGenerationOptions options, Func<GrfParameters, long, Microstructure> generate, Func<Microstructure, CancellationToken, StackResponse> simulate)
    {
        ArgumentNullException.ThrowIfNull(generate);
        ArgumentNullException.ThrowIfNull(simulate);
        Options = options;
        _generate = generate;
        _simulate = simulate;
        _sampler = new GrfParameterSampler(options.Seed, options.Ranges, options.Size);
    }

    /// <summary>The run's settings.</summary>
    public DatasetGenerationOptions Options { get; }

    /// <summary>Parameters and GRF seed of sample <paramref name="id"/> in this run.</summary>
    public GrfSample Sample(long id) => _sampler.Sample(id);

    /// <summary>
    /// Writes the dataset (or the shard) to <paramref name="outputPath"/>, resuming a previous interrupted run of the
    /// same command. When the file already exists with exactly these settings (and shard), nothing is recomputed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The parts folder holds a run with other settings, or a sample failed (the message names it).</exception>
    /// <exception cref="OperationCanceledException">Cancelled; finished parts stay for the next run.</exception>
    public async Task<DatasetSummary> GenerateAsync(string outputPath, IProgress<DatasetProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var clock = Stopwatch.StartNew();
        string output = Path.GetFullPath(outputPath);
        var generation = DatasetGenerationInfo.From(Options);
        var (firstPart, partCount) = ShardParts(generation);
        int count = Options.Shard is { } shard ? shard.Rows(generation.Count, generation.RowGroupSize).Length : generation.Count;
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);

        if (await ReadFinishedAsync(output, generation, count, cancellationToken) is { } finished)
        {
            // A crash between the final rename and the cleanup leaves this run's parts behind.
            if (DatasetPartsFolder.BelongsTo(output, generation, Options.Stack)) Directory.Delete(DatasetPartsFolder.FolderFor(output), recursive: true);
            progress?.Report(new DatasetProgress(count, count, count));
            return finished.ToSummary(output, count, count, clock.Elapsed);
        }

        var parts = await DatasetPartsFolder.OpenAsync(output, generation, Options.Stack, Options.Overwrite, cancellationToken);
        var pending = new List<int>();
        int resumed = 0;
        for (int p = firstPart; p < firstPart + partCount; p++)
        {
            if (await parts.IsCompleteAsync(p, cancellationToken)) resumed += parts.Range(p).Length;
            else pending.Add(p);
        }

        var counter = new ProgressCounter(progress, count, resumed);
        counter.Report();
        foreach (int p in pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (start, length) = parts.Range(p);
            var records = await LabelAsync(start, length, counter, cancellationToken);
            await parts.WritePartAsync(p, records, cancellationToken);
        }

        var statistics = await MergeAsync(parts, firstPart, partCount, output, cancellationToken);
        parts.Delete();
        return statistics.ToSummary(output, count, resumed, clock.Elapsed);
    }

    /// <summary>Labels ids start .. start+length-1 on <see cref="DatasetGenerationOptions.Threads"/> threads; rows come back in id order.</summary>
    private async Task<MicrostructureRecord[]> LabelAsync(long start, int length, ProgressCounter counter, CancellationToken cancellationToken)
    {
        var records = new MicrostructureRecord[length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Options.Threads, CancellationToken = cancellationToken };
        try
        {
            await Task.Run(() => Parallel.For(0, length, parallel, i =>
            {
                records[i] = Label(start + i, cancellationToken);
                counter.Increment();
            }), cancellationToken);
        }
        catch (AggregateException e)
        {
            var failure = e.Flatten().InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException);
            if (failure is null) throw new OperationCanceledException(cancellationToken);
            throw failure;
        }
        return records;
    }

    private MicrostructureRecord Label(long id, CancellationToken cancellationToken)
    {
        var sample = _sampler.Sample(id);
        try
        {
            var map = _generate(sample.Parameters, sample.Seed);
            if (map.Size != Options.Size)
                throw new InvalidOperationException($"the generator returned a {map.Size}x{map.Size} map; {Options.Size}x{Options.Size} was asked for.");
            if (!map.IsBinary) throw new InvalidOperationException("the generator returned a map that is not binary.");
            var response = _simulate(map, cancellationToken);
            int wavelengths = Options.Stack.WavelengthsNm.Count;
            if (response.Wavelengths.Count != wavelengths)
                throw new InvalidOperationException($"the solver returned {response.Wavelengths.Count} wavelengths; the stack has {wavelengths}.");
            var perWavelength = response.Wavelengths.Select(w => w.PatternedLayerAbsorptance).ToArray();
            double absorption = response.Absorption;
            if (!double.IsFinite(absorption)) throw new InvalidOperationException($"the solver returned absorption {absorption}.");
            return new MicrostructureRecord(id, sample.Parameters, sample.Seed, absorption, map, perWavelength);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var p = sample.Parameters;
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Sample {id} ({DatasetMetadataJson.FamilyName(p.Family)}, mean {p.MeanWavenumber:G6}, std {p.StdWavenumber:G6}, volume fraction {p.VolumeFraction:G6}, seed {sample.Seed}) failed: {e.Message}"), e);
        }
    }

    /// <summary>The parts (row groups) this run writes: all of them, or the shard's contiguous slice.</summary>
    private (int First, int Count) ShardParts(DatasetGenerationInfo generation)
    {
        int all = (generation.Count + generation.RowGroupSize - 1) / generation.RowGroupSize;
        return Options.Shard is { } shard ? shard.Blocks(all) : (0, all);
    }

    /// <summary>Copies the parts' row groups in id order into the final file (temp + rename).</summary>
    private async Task<AbsorptionStatistics> MergeAsync(DatasetPartsFolder parts, int firstPart, int partCount, string output, CancellationToken cancellationToken)
    {
        var statistics = new AbsorptionStatistics();
        await AtomicFile.WriteAsync(output, async stream =>
        {
            statistics = new AbsorptionStatistics();
            await using var writer = await MicrostructureDatasetWriter.CreateAsync(
                stream, Options.Stack, OpticalStackFile.ToJson(Options.Stack), parts.Generation, Options.Shard, cancellationToken);
            for (int p = firstPart; p < firstPart + partCount; p++)
            {
                await using var reader = await MicrostructureDatasetFile.OpenAsync(parts.PartPath(p), cancellationToken);
                var records = await reader.ReadRowGroupAsync(0, cancellationToken);
                await writer.WriteRowGroupAsync(records, cancellationToken);
                statistics.Add(records);
            }
        }, cancellationToken);
        return statistics;
    }

    /// <summary>
    /// Statistics of an existing output written with exactly these settings; null when there is none (or it may be
    /// replaced: <see cref="DatasetGenerationOptions.Overwrite"/>).
    /// </summary>
    /// <exception cref="OutputExistsException">The output holds something else and overwriting is not allowed.</exception>
    private async Task<AbsorptionStatistics?> ReadFinishedAsync(string output, DatasetGenerationInfo generation, int rowCount, CancellationToken cancellationToken)
    {
        if (!File.Exists(output)) return null;
        string? other;
        try
        {
            await using var reader = await MicrostructureDatasetFile.OpenAsync(output, cancellationToken);
            var differences = reader.Generation.DifferencesFrom(generation, "there", "now");
            if (reader.StackJson != OpticalStackFile.ToJson(Options.Stack)) differences.Add("the optical stack differs");
            if (reader.Shard != Options.Shard) differences.Add($"shard {reader.Shard?.ToString() ?? "none"} there, {Options.Shard?.ToString() ?? "none"} now");
            if (differences.Count == 0 && reader.RowCount != rowCount) differences.Add($"{reader.RowCount} rows there, {rowCount} now");
            if (differences.Count == 0)
            {
                try
                {
                    var statistics = new AbsorptionStatistics();
                    using var checksum = new DatasetRowsChecksum();
                    for (int g = 0; g < reader.RowGroupCount; g++)
                    {
                        var rows = await reader.ReadRowGroupAsync(g, cancellationToken);
                        statistics.Add(rows);
                        checksum.Add(rows);
                    }
                    reader.CheckRows(checksum);
                    return statistics;
                }
                catch (InvalidDataException)
                {
                    return null; // this run's own file, damaged since: it is computed again and replaced.
                }
            }
            other = $"holds a dataset with other settings ({string.Join("; ", differences)})";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            other = "is not a dataset file";
        }
        return Options.Overwrite ? null : throw new OutputExistsException(output, other);
    }

    private static DatasetGenerationOptions Validated(DatasetGenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    private static Func<GrfParameters, long, Microstructure> CreateGenerator(DatasetGenerationOptions options)
    {
        var generator = new GaussianRandomFieldGenerator(options.Size);
        return (parameters, seed) => generator.Generate(parameters, seed);
    }

    private static Func<Microstructure, CancellationToken, StackResponse> CreateSimulator(DatasetGenerationOptions options)
    {
        var solver = new RcwaSolver(options.Stack);
        // One pattern per worker; the solver runs it single-threaded, so labels do not depend on --threads.
        return (map, cancellationToken) => solver.Simulate(map, cancellationToken);
    }

    /// <summary>Counts finished samples and reports after each one; the lock keeps reports in order across threads.</summary>
    private sealed class ProgressCounter(IProgress<DatasetProgress>? progress, int total, int resumed)
    {
        private readonly Lock _gate = new();
        private readonly int _resumed = resumed;
        private int _completed = resumed;

        public void Report() => progress?.Report(new DatasetProgress(_completed, total, _resumed));

        public void Increment()
        {
            lock (_gate)
            {
                _completed++;
                Report();
            }
        }
    }

    private sealed class AbsorptionStatistics
    {
        private double _min = double.PositiveInfinity, _max = double.NegativeInfinity, _sum;
        private int _count;

        public void Add(IEnumerable<MicrostructureRecord> records)
        {
            foreach (var r in records)
            {
                _min = Math.Min(_min, r.Absorption);
                _max = Math.Max(_max, r.Absorption);
                _sum += r.Absorption;
                _count++;
            }
        }

        public DatasetSummary ToSummary(string path, int count, int resumed, TimeSpan elapsed) =>
            _count == 0
                ? new(path, count, resumed, double.NaN, double.NaN, double.NaN, elapsed)
                : new(path, count, resumed, _min, _sum / _count, _max, elapsed);
    }
}
