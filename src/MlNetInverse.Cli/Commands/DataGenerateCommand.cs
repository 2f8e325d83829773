using System.ComponentModel;
using System.Globalization;
using MlNetInverse.Cli.Datasets;
using MlNetInverse.Cli.Runtime;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Optics;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>data generate</c>: GRF microstructures labelled by RCWA, written to Parquet. Ctrl-C stops cleanly; finished
/// samples are kept and the same command resumes.
/// </summary>
internal sealed class DataGenerateCommand : AsyncCommand<DataGenerateCommand.Settings>
{
    private readonly CliOutput _output;

    public DataGenerateCommand(CliOutput output) => _output = output;

    /// <summary>Options of <c>data generate</c>.</summary>
    public sealed class Settings : CliSettings
    {
        [CommandOption("--count <N>")]
        [Description("Required. Number of samples (ids 0 .. N-1).")]
        public int? Count { get; set; }

        [CommandOption("--out <FILE>")]
        [Description("Required. The Parquet file to write (.parquet); an interrupted run of the same command resumes it.")]
        public string? Out { get; set; }

        [CommandOption("--seed <SEED>")]
        [Description("Master seed; sample i depends only on (seed, i).")]
        [DefaultValue(1L)]
        public long Seed { get; set; } = 1;

        [CommandOption("--stack <FILE>")]
        [Description("Optical stack JSON for the labels (default: pipelines/stacks/default.json of the MlNetInverse repository found above the current folder or the app).")]
        public string? Stack { get; set; }

        [CommandOption("--threads <N>")]
        [Description("Worker threads, one pattern each; above 1, torch intra-op threads are set to 1.")]
        [DefaultValue(1)]
        public int Threads { get; set; } = 1;

        public override ValidationResult Validate()
        {
            if (Count is null) return ValidationResult.Error("--count N is required.");
            if (Count < 1) return ValidationResult.Error($"--count must be at least 1; got {Count}.");
            if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out FILE.parquet is required.");
            if (!Out.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
                return ValidationResult.Error($"--out must name a .parquet file; got '{Out}'.");
            if (Directory.Exists(Out)) return ValidationResult.Error($"--out '{Out}' is a folder; name a .parquet file.");
            if (Threads < 1) return ValidationResult.Error($"--threads must be at least 1; got {Threads}.");
            if (Stack is not null && !File.Exists(Stack)) return ValidationResult.Error($"--stack: file '{Stack}' does not exist.");
            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var stackPath = settings.Stack ?? RepositoryLocator.DefaultStackPath();
        var stack = OpticalStackFile.Load(stackPath);
        // Parallelism comes from the workers; each torch call staying single-threaded avoids oversubscribing the cores.
        using var torchThreads = settings.Threads > 1 ? new TorchThreadScope(1) : null;
        int count = settings.Count!.Value;
        var options = new DatasetGenerationOptions { Count = count, Seed = settings.Seed, Stack = stack, Threads = settings.Threads };
        var outputPath = Path.GetFullPath(settings.Out!);
        Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);

        var console = _output.Console;
        console.MarkupLineInterpolated(
            $"generating {count} samples (seed {settings.Seed}, {settings.Threads} thread(s)) with stack '{stack.Name}' from {stackPath} into {outputPath}");
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
                    bar = new DatasetProgressBar(progress.AddTask("samples", maxValue: count));
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
        table.AddRow("absorption min / mean / max", string.Join(" / ",
            new[] { summary.MinAbsorption, summary.MeanAbsorption, summary.MaxAbsorption }.Select(a => a.ToString("F4", CultureInfo.InvariantCulture))));
        table.AddRow("elapsed", $"{(int)summary.Elapsed.TotalHours}:{summary.Elapsed.ToString(@"mm\:ss", CultureInfo.InvariantCulture)}");
        console.Write(table);
        return CliErrors.Success;
    }
}
