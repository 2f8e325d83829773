using System.ComponentModel;
using System.Globalization;
using MlNetInverse.Cli.Datasets;
using MlNetInverse.Cli.Output;
using MlNetInverse.ML.Scoring;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Storage;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>data merge</c>: joins the shard files of <c>data generate --shard</c> or <c>score --shard</c> into the file a
/// single run writes (same rows, same bytes). Refuses, writing nothing, when the shards come from different runs or
/// ids (target rows for score outputs) are missing or duplicated; the message names them.
/// </summary>
internal sealed class DataMergeCommand : AsyncCommand<DataMergeCommand.Settings>
{
    private readonly CliOutput _output;

    public DataMergeCommand(CliOutput output) => _output = output;

    /// <summary>Options of <c>data merge</c>.</summary>
    public sealed class Settings : CliSettings
    {
        [CommandArgument(0, "[SHARDS]")]
        [Description("The shard files (e.g. data/train.shard-*-of-0004.parquet or scores.shard-*-of-0004.parquet from score --shard), in any order.")]
        public string[] Shards { get; set; } = [];

        [CommandOption("--out <FILE>")]
        [Description("The merged .parquet file; written through a temp file and a rename. Required.")]
        public string? Out { get; set; }

        [CommandOption("--overwrite")]
        [Description("Replace an existing --out that is not a merge of these shards' run (another file, or a dataset or scores of other settings). Default off: such a file is refused.")]
        public bool Overwrite { get; set; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out FILE.parquet is required.");
            if (!Out.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) return ValidationResult.Error($"--out must name a .parquet file; got '{Out}'.");
            if (Directory.Exists(Out)) return ValidationResult.Error($"--out '{Out}' is a folder; name a .parquet file.");
            if (Shards.Length == 0) return ValidationResult.Error("give the shard files to merge.");
            foreach (var shard in Shards)
                if (!File.Exists(shard)) return ValidationResult.Error($"shard file '{shard}' does not exist.");
            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var console = _output.Console;
        var output = Path.GetFullPath(settings.Out!);
        using var claim = OutputClaim.File(context, "--out", output, settings.Shards);
        bool scores = ScoreShardMerger.IsScoreFile(settings.Shards[0]);
        if (!settings.Overwrite) await RefuseForeignOutputAsync(output, settings.Shards[0], scores, cancellationToken);
        console.MarkupLineInterpolated($"merging {settings.Shards.Length} shard file(s) into {output}");
        if (scores) return MergeScores(settings.Shards, output, cancellationToken);
        DatasetMergeSummary summary;
        try
        {
            summary = await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    var bar = new DatasetProgressBar(progress.AddTask("rows", maxValue: 1));
                    return await DatasetMerger.MergeAsync(settings.Shards, output, bar, cancellationToken);
                });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _output.Error.WriteLine("cancelled; nothing was written (the shard files are unchanged).");
            return CliErrors.Cancelled;
        }

        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("file", Markup.Escape(summary.Path));
        table.AddRow("shard files", summary.Inputs.ToString(CultureInfo.InvariantCulture));
        table.AddRow("rows", $"{summary.Rows} in {summary.RowGroups} row groups");
        table.AddRow("elapsed", summary.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s");
        console.Write(table);
        return CliErrors.Success;
    }

    /// <summary>
    /// An existing output may only be an earlier merge of the same run (a rerun writes the same bytes): a file of the
    /// other kind, or a dataset of other settings, is refused before anything is read further.
    /// </summary>
    /// <exception cref="OutputExistsException">The output holds something else.</exception>
    private static async Task RefuseForeignOutputAsync(string output, string firstShard, bool scores, CancellationToken cancellationToken)
    {
        if (!File.Exists(output)) return;
        if (scores)
        {
            if (!ScoreShardMerger.IsScoreFile(output)) throw new OutputExistsException(output, "is not an output of 'score'");
            return;
        }
        string reason;
        try
        {
            await using var existing = await MicrostructureDatasetFile.OpenAsync(output, cancellationToken);
            await using var shard = await MicrostructureDatasetFile.OpenAsync(firstShard, cancellationToken);
            if (existing.Generation == shard.Generation && OpticalStackFile.ToJson(existing.Stack) == OpticalStackFile.ToJson(shard.Stack)) return;
            reason = "holds a dataset of another run (other seed, count, ranges or stack)";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            reason = "is not a dataset file";
        }
        throw new OutputExistsException(output, reason);
    }

    private int MergeScores(string[] shards, string output, CancellationToken cancellationToken)
    {
        var summary = ScoreShardMerger.Merge(shards, output, cancellationToken);
        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("file", Markup.Escape(summary.Path));
        table.AddRow("score shard files", summary.Shards.ToString(CultureInfo.InvariantCulture));
        table.AddRow("targets", summary.Targets.ToString(CultureInfo.InvariantCulture));
        table.AddRow("images", summary.Images.ToString(CultureInfo.InvariantCulture));
        _output.Console.Write(table);
        return CliErrors.Success;
    }
}
