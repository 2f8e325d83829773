using System.ComponentModel;
using System.Globalization;
using MlNetInverse.Cli.Datasets;
using MlNetInverse.Cli.Output;
using MlNetInverse.Cli.Runtime;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Workflows.Pipelines;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>data generate</c>: GRF microstructures labelled by RCWA, written to Parquet. Ctrl-C stops cleanly; finished
/// samples are kept and the same command resumes. With <c>--shard I/N</c> (or inside a Slurm array) it computes only
/// that shard's whole row groups into <c>OUT.shard-000I-of-000N.parquet</c>; <c>data merge</c> joins the shards into
/// the file a single run writes.
/// </summary>
internal sealed class DataGenerateCommand : AsyncCommand<DataGenerateCommand.Settings>
{
    private readonly CliOutput _output;

    public DataGenerateCommand(CliOutput output) => _output = output;

    /// <summary>Options of <c>data generate</c>.</summary>
    public sealed class Settings : CliSettings
    {
        [CommandOption("--pipeline <FILE>")]
        [Description("Pipeline JSON with a 'dataset' section (count, seed, stack, threads, out, grf ranges), e.g. pipelines/dataset-default.json. Flags given on the command line override it.")]
        public string? Pipeline { get; set; }

        [CommandOption("--count <N>")]
        [Description("Number of samples (ids 0 .. N-1). Required without --pipeline.")]
        public int? Count { get; set; }

        [CommandOption("--out <FILE>")]
        [Description("The Parquet file to write (.parquet); an interrupted run of the same command resumes it. Required without --pipeline.")]
        public string? Out { get; set; }

        [CommandOption("--seed <SEED>")]
        [Description("Master seed; sample i depends only on (seed, i). Default 1.")]
        public long? Seed { get; set; }

        [CommandOption("--stack <FILE>")]
        [Description("Optical stack JSON for the labels (default: pipelines/stacks/default.json of the MlNetInverse repository found above the current folder or the app).")]
        public string? Stack { get; set; }

        [CommandOption("--threads <N>")]
        [Description("Worker threads, one pattern each (torch itself runs single-threaded, so the file is the same for any value). Default 1.")]
        public int? Threads { get; set; }

        [CommandOption("--row-group <N>")]
        [Description("Samples per resumable part and per Parquet row group; shards get whole row groups. Default 250.")]
        public int? RowGroup { get; set; }

        [CommandOption(ShardOption.Template)]
        [Description(ShardOption.Description + " Merge the shard files with 'data merge'.")]
        public string? Shard { get; set; }

        [CommandOption("--overwrite")]
        [Description("Replace an existing --out that is not this run's dataset (another file, or a dataset of other seed, count, stack or ranges). Default off: such a file is refused; one with the same settings is reused.")]
        public bool Overwrite { get; set; }

        public override ValidationResult Validate()
        {
            if (Pipeline is not null && !File.Exists(Pipeline)) return ValidationResult.Error($"--pipeline: file '{Pipeline}' does not exist.");
            if (Pipeline is null && Count is null) return ValidationResult.Error("--count N is required (or give --pipeline FILE).");
            if (Count < 1) return ValidationResult.Error($"--count must be at least 1; got {Count}.");
            if (Pipeline is null && string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out FILE.parquet is required (or give --pipeline FILE).");
            if (Out is not null && !Out.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
                return ValidationResult.Error($"--out must name a .parquet file; got '{Out}'.");
            if (Out is not null && Directory.Exists(Out)) return ValidationResult.Error($"--out '{Out}' is a folder; name a .parquet file.");
            if (Threads < 1) return ValidationResult.Error($"--threads must be at least 1; got {Threads}.");
            if (RowGroup < 1) return ValidationResult.Error($"--row-group must be at least 1 sample; got {RowGroup}.");
            if (ShardOption.Check(Shard) is { } shardError) return ValidationResult.Error(shardError);
            if (Stack is not null && !File.Exists(Stack)) return ValidationResult.Error($"--stack: file '{Stack}' does not exist.");
            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var shard = ShardOption.Resolve(settings.Shard);
        var pipeline = settings.Pipeline is null ? null : DatasetPipeline.Load(settings.Pipeline);
        var stackPath = settings.Stack ?? pipeline?.StackPath ?? RepositoryLocator.DefaultStackPath();
        var stack = OpticalStackFile.Load(stackPath);
        int threads = settings.Threads ?? pipeline?.Threads ?? 1;
        long seed = settings.Seed ?? pipeline?.Seed ?? 1;
        int count = settings.Count ?? pipeline!.Count;
        var options = new DatasetGenerationOptions
        {
            Count = count, Seed = seed, Stack = stack, Threads = threads, Ranges = pipeline?.Ranges ?? new GrfParameterRanges(),
            RowGroupSize = settings.RowGroup ?? DatasetGenerationOptions.DefaultRowGroupSize, Shard = shard?.Shard, Overwrite = settings.Overwrite,
        };
        var runPath = Path.GetFullPath(settings.Out ?? pipeline!.OutputPath);
        var outputPath = shard is null ? runPath : shard.Shard.FilePath(runPath);
        using var claim = OutputClaim.File(context, "--out", outputPath, stackPath, settings.Pipeline);

        var console = _output.Console;
        if (shard is not null)
        {
            var (first, length) = shard.Shard.Rows(count, options.RowGroupSize);
            console.MarkupLineInterpolated(
                $"{shard.ToString()}: ids {(length == 0 ? "none" : $"{first}..{first + length - 1}")} of a run of {count} ({options.RowGroupSize} per row group)");
            count = length;
        }
        console.MarkupLineInterpolated(
            $"generating {count} samples (seed {seed}, {threads} thread(s)) with stack '{stack.Name}' from {stackPath} into {outputPath}");
        DatasetProgressBar? bar = null;
        DatasetSummary summary;
        try
        {
            summary = await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                    new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    bar = new DatasetProgressBar(progress.AddTask("samples", maxValue: Math.Max(1, count)));
                    return await new DatasetGenerator(options).GenerateAsync(outputPath, bar, cancellationToken);
                });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            int done = bar?.Last?.Completed ?? 0;
            _output.Error.WriteLine(
                $"cancelled after {done} of {count} samples; finished samples are kept, rerun the same command to resume.");
            return CliErrors.Cancelled;
        }

        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("file", Markup.Escape(summary.Path));
        table.AddRow("samples", $"{summary.Count} ({summary.Resumed} resumed)");
        table.AddRow("absorption min / mean / max", summary.Count == 0
            ? "- (0 rows: this shard has no row group; it still merges)"
            : string.Join(" / ", new[] { summary.MinAbsorption, summary.MeanAbsorption, summary.MaxAbsorption }.Select(a => a.ToString("F4", CultureInfo.InvariantCulture))));
        table.AddRow("elapsed", $"{(int)summary.Elapsed.TotalHours}:{summary.Elapsed.ToString(@"mm\:ss", CultureInfo.InvariantCulture)}");
        console.Write(table);
        return CliErrors.Success;
    }
}
