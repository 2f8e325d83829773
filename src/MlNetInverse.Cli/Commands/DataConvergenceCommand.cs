using System.ComponentModel;
using MlNetInverse.Cli.Output;
using MlNetInverse.Cli.Progress;
using MlNetInverse.Cli.Reports;
using MlNetInverse.Cli.Runtime;
using MlNetInverse.Physics.Datasets;
using MlNetInverse.Physics.Microstructures;
using MlNetInverse.Physics.Optics;
using MlNetInverse.Physics.Rcwa;
using MlNetInverse.Physics.Storage;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetInverse.Cli.Commands;

/// <summary>
/// <c>data convergence</c>: labels of dataset-like patterns at several truncations with Laurent's and Li's rule, to choose
/// (and document) the solver configuration of a stack. With <c>--shard I/N</c> (or inside a Slurm array) it studies
/// only its contiguous slice of the patterns and writes its report to <c>OUT.shard-000I-of-000N.md</c>.
/// </summary>
internal sealed class DataConvergenceCommand : Command<DataConvergenceCommand.Settings>
{
    private readonly CliOutput _output;

    public DataConvergenceCommand(CliOutput output) => _output = output;

    /// <summary>Options of <c>data convergence</c>.</summary>
    public sealed class Settings : CliSettings
    {
        [CommandOption("--stack <FILE>")]
        [Description("Optical stack JSON (default: pipelines/stacks/default.json).")]
        public string? Stack { get; set; }

        [CommandOption("--data <FILE>")]
        [Description("Study the first --count patterns of this dataset (.parquet), with its own stack unless --stack is given. Default: patterns drawn like dataset samples 0..N-1 with the default GRF ranges.")]
        public string? Data { get; set; }

        [CommandOption("--count <N>")]
        [Description("Patterns, drawn like dataset samples 0..N-1 (default GRF ranges), or the first N rows of --data.")]
        [DefaultValue(20)]
        public int Count { get; set; } = 20;

        [CommandOption("--seed <SEED>")]
        [Description("Master seed of the patterns.")]
        [DefaultValue(1L)]
        public long Seed { get; set; } = 1;

        [CommandOption("--harmonics <LIST>")]
        [Description("Increasing harmonic counts, each (2M+1)^2.")]
        [DefaultValue("49,81,121,169,225")]
        public string Harmonics { get; set; } = "49,81,121,169,225";

        [CommandOption("--threads <N>")]
        [Description("RCWA workers sharing out the patterns' wavelengths, each running torch on one thread (the labels are the same for any count).")]
        [DefaultValue(1)]
        public int Threads { get; set; } = 1;

        [CommandOption("--out <FILE>")]
        [Description("Also write the markdown report to this file.")]
        public string? Out { get; set; }

        [CommandOption(ShardOption.Template)]
        [Description(ShardOption.Description + " A shard studies its contiguous slice of the patterns (ids 0..N-1).")]
        public string? Shard { get; set; }

        public override ValidationResult Validate()
        {
            if (ShardOption.Check(Shard) is { } shardError) return ValidationResult.Error(shardError);
            if (Count < 1) return ValidationResult.Error($"--count must be at least 1; got {Count}.");
            if (Threads < 1) return ValidationResult.Error($"--threads must be at least 1; got {Threads}.");
            if (Data is not null && !File.Exists(Data)) return ValidationResult.Error($"--data: file '{Data}' does not exist.");
            if (Stack is not null && !File.Exists(Stack)) return ValidationResult.Error($"--stack: file '{Stack}' does not exist.");
            try
            {
                if (OptionValues.HarmonicsList("--harmonics", Harmonics).Count < 2)
                    return ValidationResult.Error("--harmonics needs at least two counts to compare.");
            }
            catch (FormatException e)
            {
                return ValidationResult.Error(e.Message);
            }
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var shard = ShardOption.Resolve(settings.Shard);
        var dataset = settings.Data is null ? null : MicrostructureDatasetFile.ReadAsync(settings.Data, cancellationToken).GetAwaiter().GetResult();
        if (dataset is not null && dataset.Records.Count < settings.Count)
            throw new InvalidDataException($"--data '{settings.Data}' holds {dataset.Records.Count} rows; --count asks for {settings.Count}.");
        var stack = settings.Stack is not null || dataset is null
            ? OpticalStackFile.Load(settings.Stack ?? RepositoryLocator.DefaultStackPath())
            : dataset.Stack;
        var harmonics = OptionValues.HarmonicsList("--harmonics", settings.Harmonics);
        var sampler = new GrfParameterSampler(settings.Seed, new GrfParameterRanges());
        var generator = new GaussianRandomFieldGenerator();
        // Each pattern is its own block: shards get contiguous id slices whose sizes differ by at most one.
        var (first, length) = shard?.Shard.Blocks(settings.Count) ?? (0, settings.Count);
        if (shard is not null)
        {
            _output.Console.WriteLine(length == 0
                ? $"{shard}: no patterns (only {settings.Count} for {shard.Shard.Count} shards); nothing to do."
                : $"{shard}: patterns {first}..{first + length - 1} of {settings.Count}");
            if (length == 0) return CliErrors.Success;
        }
        var patterns = dataset is not null
            ? dataset.Records.Skip(first).Take(length).Select(r => r.Map).ToList()
            : Enumerable.Range(first, length)
                .Select(i => sampler.Sample(i))
                .Select(s => generator.Generate(s.Parameters, s.Seed))
                .ToList();
        var report = ConvergenceStudy.Run(stack, patterns, harmonics, settings.Threads, new SynchronousProgress<string>(line => _output.Console.WriteLine(line)), cancellationToken);
        var markdown = shard is null
            ? report.ToMarkdown()
            : $"Shard {shard.Shard} of the study: patterns {first}..{first + length - 1} of {settings.Count} (seed {settings.Seed}).\n\n{report.ToMarkdown()}";
        _output.Out.WriteLine();
        _output.Out.Write(markdown);
        if (settings.Out is { } path)
        {
            var full = Path.GetFullPath(path);
            if (shard is not null) full = shard.Shard.FilePath(full);
            using var claim = OutputClaim.File(context, "--out", full, settings.Stack, settings.Data);
            AtomicFile.WriteAllText(full, markdown);
        }
        return CliErrors.Success;
    }
}
