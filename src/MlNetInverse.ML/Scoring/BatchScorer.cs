using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MlNetInverse.ML.Mdn;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.ML.Scoring;

/// <summary>
/// Streaming batch scoring: target absorptions from a Parquet column → MDN draws → decoded, binarized images and the
/// surrogate's absorption → a Parquet file, one row group per block of <see cref="BatchScoringOptions.BatchSize"/>
/// targets. Memory holds one block (never the whole input or output); each finished block is a part file in
/// <c>&lt;out&gt;.parts/</c>, so an interrupted run resumes from its finished blocks; at the end the parts are joined
/// into the output (temp file, rename) and the folder is removed. All input is checked before anything is written.
/// </summary>
public static class BatchScorer
{
    /// <summary>Images per engine decode call (bounds the activations held at once: about 70 MB in ONNX Runtime for 64x64).</summary>
    public const int ImagesPerDecode = 512;

    /// <summary>Targets per MDN call of an engine that yields whole mixtures (bounds them: 2 x 64 x K x L floats, 10 MB for K=40, L=512).</summary>
    public const int TargetsPerMixture = 64;

    /// <summary>Scores <paramref name="inputPath"/>'s targets with the generator at <paramref name="modelPath"/> into <paramref name="outputPath"/>.</summary>
    /// <param name="modelPath">A generation model zip, or generator.onnx (ONNX engine) from 'export-onnx'.</param>
    /// <param name="inputPath">Parquet file with a float/double target column.</param>
    /// <param name="outputPath">The Parquet file to write (see <see cref="ScoreFile"/> for its columns).</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="progress">Receives progress after each block.</param>
    /// <param name="notice">Receives one-line notices (device fallback, extrapolated targets).</param>
    /// <param name="cancellationToken">Stops between chunks; finished blocks stay for the next run.</param>
    /// <exception cref="FileNotFoundException">Model or input missing.</exception>
    /// <exception cref="InvalidDataException">Bad input or model; the message names the file, row or column.</exception>
    /// <exception cref="InvalidOperationException">An unusable device, or a parts folder of a run with other settings.</exception>
    public static BatchScoringSummary Score(string modelPath, string inputPath, string outputPath, BatchScoringOptions? options = null,
        IProgress<ScoringProgress>? progress = null, Action<string>? notice = null, CancellationToken cancellationToken = default)
    {
        options ??= new BatchScoringOptions();
        options.Validate();
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        RefuseInputs(outputPath, ("targets file", inputPath), ("model", modelPath));
        CheckWritable(outputPath);
        var targets = TargetFile.Open(inputPath, options.TargetColumn);
        if (targets.RowCount > int.MaxValue) throw new InvalidDataException($"Targets file '{inputPath}' has {targets.RowCount} rows; split it into files of at most {int.MaxValue} rows.");
        var (first, length) = options.Shard?.Rows((int)targets.RowCount, options.BatchSize) ?? (0L, (int)targets.RowCount);
        targets.Validate(first, length, cancellationToken);

        using var generator = ScoringGenerator.Open(modelPath);
        using var engine = generator.CreateEngine(options.Engine, options.Threads, options.Device, out var deviceNotice);
        if (deviceNotice is not null) notice?.Invoke(deviceNotice);
        long seed = options.Seed ?? generator.Manifest.SamplingSeed;
        var settings = Settings(modelPath, targets, first, length, options, seed, engine.Description);
        CheckExisting(outputPath, settings, options.Overwrite);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
        var parts = ScorePartsFolder.Open(outputPath, settings, startOver: options.Overwrite);

        int blocks = (int)((length + options.BatchSize - 1) / options.BatchSize);
        int samples = options.SamplesPerTarget, resumed = 0;
        long outOfRange = 0, computedImages = 0, done = 0;
        var compute = new Stopwatch();
        var wall = Stopwatch.StartNew();
        var metadata = settings.ToJsonString();
        var work = new BlockScorer(engine, generator, seed, samples, options);
        for (int block = 0; block < blocks; block++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long start = first + (long)block * options.BatchSize;
            int n = (int)Math.Min(options.BatchSize, first + length - start);
            var blockTargets = new float[n];
            targets.Read(start, blockTargets);
            foreach (float t in blockTargets) if (!generator.IsInTrainingRange(t)) outOfRange++;
            if (parts.IsComplete(block, (long)n * samples))
            {
                resumed++;
            }
            else
            {
                compute.Start();
                var scored = work.Score(start, blockTargets, cancellationToken);
                compute.Stop();
                ScoreFile.WritePart(parts.PartPath(block), scored, options.ImageEncoding, metadata);
                computedImages += scored.ImageCount;
            }
            done += (long)n * samples;
            progress?.Report(new ScoringProgress(block + 1, blocks, done));
        }
        if (outOfRange > 0)
            notice?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"{outOfRange} target(s) lie outside the MDN's training absorption range [{generator.Manifest.TrainingAbsorptionMin:0.####}, {generator.Manifest.TrainingAbsorptionMax:0.####}] (in_training_range = false): their images are extrapolated."));
        ScoreFile.Merge(Enumerable.Range(0, blocks).Select(parts.PartPath).ToArray(), outputPath, options.ImageEncoding, options.PredictAbsorption, metadata, cancellationToken);
        parts.Delete();
        wall.Stop();
        double seconds = wall.Elapsed.TotalSeconds;
        return new BatchScoringSummary(Path.GetFullPath(outputPath), engine.Description, first, length, done, blocks, resumed, outOfRange,
            compute.Elapsed.TotalSeconds, computedImages > 0 ? computedImages / seconds : 0);
    }

    /// <summary>The settings a resumed run must share with the interrupted one (and the output's metadata).</summary>
    private static JsonObject Settings(string modelPath, TargetFile targets, long first, int length, BatchScoringOptions options, long seed, string engine)
    {
        var input = new FileInfo(targets.Path);
        return new JsonObject
        {
            ["model"] = Path.GetFullPath(modelPath),
            ["model_sha256"] = Fingerprint.OfFile(modelPath),
            ["input"] = input.FullName,
            ["input_bytes"] = input.Length,
            ["input_modified_utc"] = input.LastWriteTimeUtc.ToString("O", CultureInfo.InvariantCulture),
            ["column"] = targets.Column,
            ["first_row"] = first,
            ["rows"] = length,
            ["shard"] = options.Shard?.ToString(),
            ["batch"] = options.BatchSize,
            ["samples"] = options.SamplesPerTarget,
            ["seed"] = seed,
            ["engine"] = engine,
            ["image_encoding"] = options.ImageEncoding.ToString().ToLowerInvariant(),
            ["predicted_absorption"] = options.PredictAbsorption,
        };
    }

    /// <summary>Refuses an output that is one of the inputs: scoring would replace it with images.</summary>
    private static void RefuseInputs(string outputPath, params (string Name, string Path)[] inputs)
    {
        var output = Path.GetFullPath(outputPath);
        foreach (var (name, path) in inputs)
            if (!string.IsNullOrWhiteSpace(path) && Path.GetFullPath(path) == output)
                throw new ArgumentException($"Output '{outputPath}' is the {name}; scoring would replace it with images. Choose another output.");
    }

    /// <summary>An existing output is rewritten only when it holds scores of exactly these settings, or when overwriting is allowed.</summary>
    /// <exception cref="OutputExistsException">It is another kind of file, or scores of other settings.</exception>
    private static void CheckExisting(string outputPath, JsonObject settings, bool overwrite)
    {
        if (overwrite || !File.Exists(outputPath)) return;
        var output = Path.GetFullPath(outputPath);
        var stored = ScoreShardMerger.ReadSettings(output) ?? throw new OutputExistsException(output, "is not an output of 'score'");
        var different = settings.Where(p => !JsonNode.DeepEquals(p.Value, stored[p.Key])).Select(p => p.Key).ToArray();
        if (different.Length > 0)
            throw new OutputExistsException(output, $"holds scores of other settings ({string.Join(", ", different)} differ)");
    }

    /// <summary>The output's folder, or its nearest existing parent, takes new files; probed without creating anything.</summary>
    private static void CheckWritable(string outputPath)
    {
        var full = Path.GetFullPath(outputPath);
        if (Directory.Exists(full)) throw new InvalidDataException($"Output '{outputPath}' is a folder; name a .parquet file.");
        var folder = Path.GetDirectoryName(full)!;
        var existing = folder;
        while (!Directory.Exists(existing))
        {
            var parent = Path.GetDirectoryName(existing);
            if (parent is null || File.Exists(existing)) throw new InvalidDataException($"Output folder '{folder}' cannot be created: '{existing}' is a file.");
            existing = parent;
        }
        try
        {
            using (File.Create(Path.Combine(existing, $".mlnet-inverse-write-test-{Guid.NewGuid():N}"), 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new InvalidDataException($"Output folder '{folder}' is not writable: cannot create files in '{existing}' ({e.Message.TrimEnd('.')}).", e);
        }
    }
}
