using System.Globalization;
using MlNetInverse.Cli.Output;
using MlNetInverse.Cli.Progress;
using MlNetInverse.ML.Scoring;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>score</c>: batch scoring of a Parquet file of target absorptions into a Parquet file of generated images (see
/// <see cref="BatchScorer"/>): streaming in flat memory, resumable from its finished blocks, shardable.
/// </summary>
internal sealed class ScoreCommand : Command<ScoreSettings>
{
    private readonly CliOutput _output;

    public ScoreCommand(CliOutput output) => _output = output;

    public override int Execute(CommandContext context, ScoreSettings settings, CancellationToken cancellationToken)
    {
        var shard = ShardOption.Resolve(settings.Shard);
        string input = settings.In!, output = settings.Out!;
        var options = new BatchScoringOptions
        {
            BatchSize = settings.Batch,
            SamplesPerTarget = settings.Samples,
            Seed = settings.Seed,
            Engine = settings.ScoringEngine,
            Device = settings.ComputeDevice,
            Threads = settings.Threads,
            ImageEncoding = settings.ImageEncoding,
            PredictAbsorption = !settings.NoAbsorption,
            TargetColumn = settings.Column,
            Overwrite = settings.Overwrite,
        };
        if (shard is not null)
        {
            output = shard.Shard.FilePath(output);
            // Inputs already split one file per shard are scored whole; otherwise the shard takes whole blocks of --in.
            string shardInput = shard.Shard.FilePath(input);
            if (File.Exists(shardInput)) input = shardInput;
            else options.Shard = shard.Shard;
            _output.Out.WriteLine($"{shard}: {(options.Shard is null ? $"input file {shardInput}" : $"whole blocks of {input}")} -> {output}");
        }
        if (!File.Exists(input)) throw new FileNotFoundException($"--in: targets file '{input}' does not exist.", input);
        using var claim = OutputClaim.File(context, "--out", output, input, settings.Model);

        var console = _output.Console;
        BatchScoringSummary summary = null!;
        console.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("scoring", maxValue: 1);
                summary = BatchScorer.Score(settings.Model!, input, output, options,
                    new SynchronousProgress<ScoringProgress>(p => { task.MaxValue = p.Blocks; task.Value = p.BlocksDone; }),
                    notice => _output.Error.WriteLine("notice: " + notice), cancellationToken);
            });
        _output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scored {summary.Targets} targets (rows {summary.FirstRow}..{summary.FirstRow + summary.Targets - 1}) into {summary.Images} images, {summary.Blocks} row groups, with {summary.Engine}: {summary.Output}"));
        if (summary.ResumedBlocks > 0) _output.Out.WriteLine($"resumed: {summary.ResumedBlocks} of {summary.Blocks} blocks were finished by an earlier run");
        _output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"throughput: {summary.ImagesPerSecond:F0} images/s ({summary.ComputeSeconds:F1} s computing)"));
        return CliErrors.Success;
    }
}
